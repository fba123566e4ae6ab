"""The HTML tree the help-page corpus scripts read pages into.

heldout-corpus.sh and gimp-corpus.sh import it (their Python runs with
this folder on PYTHONPATH). A page becomes a tree of Node objects and
strings, tolerant of the unclosed tags real help pages have: an end tag
closes up to its nearest open start tag, and void elements never open.
"""
from html.parser import HTMLParser


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []


class Tree(HTMLParser):
    """Parses a page into root, a Node; void is the set of tags that have
    no end tag."""

    def __init__(self, void):
        super().__init__(convert_charrefs=True)
        self.void = void
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in self.void:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        if tag in self.void:
            return
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def find(n, pred):
    """The first node below n (n included), depth first, for which pred holds."""
    if isinstance(n, str):
        return None
    if pred(n):
        return n
    for k in n.kids:
        r = find(k, pred)
        if r is not None:
            return r
    return None
