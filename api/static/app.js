// talksearch: small enhancements of the server-rendered pages. Everything
// works without this file; it adds search suggestions (ARIA combobox),
// filters that apply as soon as they change, and short, clean URLs.
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('js');

  var wide = window.matchMedia('(min-width: 52.0625rem)');
  var filters = doc.getElementById('filter');
  function syncFilters() {
    if (filters && wide.matches) filters.open = true;
  }
  syncFilters();
  wide.addEventListener('change', syncFilters);

  var form = doc.getElementById('suche');
  if (!form) return;

  // Leave empty fields out of the URL (?q=eAkte, not ?q=eAkte&sort=).
  form.addEventListener('submit', function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.disabled && el.value === '' && (el.tagName === 'SELECT' || el.type === 'search')) {
        el.disabled = true;
      }
    });
  });

  // A page restored by Back shows what its URL says, not what was
  // clicked just before leaving it.
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      el.disabled = false;
      if (el.type === 'checkbox') el.checked = el.defaultChecked;
      if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
      }
      if (el.type === 'search') el.value = el.defaultValue;
    });
    var results = doc.querySelector('.results');
    if (results) results.removeAttribute('aria-busy');
  });

  // Filters and sort apply at once.
  function submit() {
    var results = doc.querySelector('.results');
    if (results) results.setAttribute('aria-busy', 'true');
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  doc.addEventListener('change', function (e) {
    var el = e.target;
    if (el.form === form && (el.type === 'checkbox' || el.tagName === 'SELECT')) submit();
  });

  doc.querySelectorAll('[data-suggest]').forEach(function (box) {
    var input = box.querySelector('input');
    if (input) combobox(box, input);
  });

  var kinds = { term: 'Suchbegriff', title: 'Vortrag', speaker: 'Person' };

  // combobox turns the search field into an ARIA 1.2 combobox with a
  // list of suggestions from /api/v1/suggest.
  function combobox(box, input) {
    var id = input.id + '-vorschlaege';
    var list = doc.createElement('ul');
    list.id = id;
    list.className = 'suggest';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Vorschläge');
    list.hidden = true;
    box.appendChild(list);
    var status = doc.createElement('div');
    status.className = 'sr';
    status.setAttribute('role', 'status');
    box.appendChild(status);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id);

    var items = [];
    var active = -1;
    var timer = 0;
    var pending = null;

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      setActive(-1);
    }
    function setActive(i) {
      var opts = list.children;
      if (active >= 0 && opts[active]) opts[active].setAttribute('aria-selected', 'false');
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', opts[i].id);
        opts[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function render(suggestions) {
      items = suggestions;
      list.textContent = '';
      active = -1;
      suggestions.forEach(function (s, i) {
        var li = doc.createElement('li');
        li.id = id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        var text = doc.createElement('span');
        text.textContent = s.text;
        var kind = doc.createElement('span');
        kind.className = 's-kind';
        kind.textContent = (kinds[s.kind] || '') + (s.kind === 'term' && s.count ? ' · ' + s.count + (s.count === 1 ? ' Vortrag' : ' Vorträge') : '');
        li.appendChild(text);
        li.appendChild(kind);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { choose(i); });
        list.appendChild(li);
      });
      if (suggestions.length) {
        open();
        status.textContent = suggestions.length === 1 ? '1 Vorschlag, mit Pfeiltasten wählen' : suggestions.length + ' Vorschläge, mit Pfeiltasten wählen';
      } else {
        close();
        status.textContent = '';
      }
    }
    function choose(i) {
      var s = items[i];
      if (!s) return;
      close();
      if (s.kind === 'title' && s.talk_id) {
        window.location.href = '/talks/' + encodeURIComponent(s.talk_id);
      } else if (s.kind === 'speaker') {
        window.location.href = '/?speaker=' + encodeURIComponent(s.text);
      } else {
        input.value = s.text;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    }
    function fetchSuggestions() {
      var q = input.value;
      if (q.trim().length < 2) { render([]); return; }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch('/api/v1/suggest?n=6&q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, signal: pending.signal })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) {
          if (input.value !== q || doc.activeElement !== input) return;
          render((body && body.suggestions) || []);
        })
        .catch(function () { /* suggestions are optional */ });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener('keydown', function (e) {
      var n = items.length;
      switch (e.key) {
        case 'ArrowDown':
          if (!n) return;
          e.preventDefault();
          if (list.hidden) { open(); setActive(0); } else setActive((active + 1) % n);
          break;
        case 'ArrowUp':
          if (!n) return;
          e.preventDefault();
          if (list.hidden) { open(); setActive(n - 1); } else setActive(active <= 0 ? n - 1 : active - 1);
          break;
        case 'Enter':
          if (!list.hidden && active >= 0) { e.preventDefault(); choose(active); }
          break;
        case 'Escape':
          if (!list.hidden) { e.preventDefault(); close(); }
          break;
        case 'Tab':
          close();
          break;
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  }
})();
