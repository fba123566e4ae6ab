package main

// The lists the catalogue is drawn from. The names are common German
// first and family names, combined at random: the speakers are synthetic.

var firstNames = []string{
	"Anna", "Andreas", "Birgit", "Bernd", "Christina", "Christian", "Dagmar", "Daniel",
	"Elke", "Erik", "Franziska", "Frank", "Gabriele", "Georg", "Heike", "Holger",
	"Ines", "Jens", "Jana", "Jürgen", "Katrin", "Klaus", "Lena", "Lars",
	"Monika", "Matthias", "Nadine", "Norbert", "Petra", "Peter", "Renate", "Ralf",
	"Sabine", "Stefan", "Susanne", "Sören", "Tanja", "Thomas", "Ute", "Uwe",
	"Vera", "Volker", "Yvonne", "Wolfgang", "Zoë", "Jörg", "Käthe", "Günter",
}

var lastNames = []string{
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
	"Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
	"Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
	"Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
	"Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
	"Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
	"Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
	"Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
	"Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
	"Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
}

// roles are the speakers' positions; "" leaves the role out.
var roles = []string{
	"", "", "Bürgermeisterin", "Bürgermeister", "Amtsleiterin", "Amtsleiter",
	"IT-Leiterin", "IT-Leiter", "Projektleiterin", "Projektleiter",
	"Referentin", "Referent", "Digitalisierungsbeauftragte", "Digitalisierungsbeauftragter",
	"Geschäftsführerin", "Geschäftsführer", "Sachgebietsleiterin", "Sachgebietsleiter",
}

// stateCities holds, per state (corpus.States order, without
// "bundesweit"), towns that speakers work for.
var stateCities = [][]string{
	{"Freiburg", "Heilbronn", "Ulm", "Tübingen"},                   // Baden-Württemberg
	{"Würzburg", "Regensburg", "Fürth", "Passau"},                  // Bayern
	{"Berlin-Pankow", "Berlin-Mitte", "Berlin-Neukölln"},           // Berlin
	{"Cottbus", "Potsdam", "Eberswalde", "Neuruppin"},              // Brandenburg
	{"Bremen", "Bremerhaven"},                                      // Bremen
	{"Hamburg-Altona", "Hamburg-Harburg"},                          // Hamburg
	{"Kassel", "Gießen", "Fulda", "Marburg"},                       // Hessen
	{"Rostock", "Schwerin", "Greifswald", "Neubrandenburg"},        // Mecklenburg-Vorpommern
	{"Lüneburg", "Göttingen", "Osnabrück", "Celle"},                // Niedersachsen
	{"Münster", "Bielefeld", "Düsseldorf", "Köln", "Soest"},        // Nordrhein-Westfalen
	{"Mainz", "Trier", "Koblenz", "Speyer"},                        // Rheinland-Pfalz
	{"Saarbrücken", "Neunkirchen", "Homburg"},                      // Saarland
	{"Plauen", "Görlitz", "Chemnitz", "Bautzen", "Freiberg"},       // Sachsen
	{"Magdeburg", "Halle (Saale)", "Dessau-Roßlau", "Quedlinburg"}, // Sachsen-Anhalt
	{"Kiel", "Flensburg", "Lübeck", "Husum"},                       // Schleswig-Holstein
	{"Erfurt", "Jena", "Gera", "Weimar", "Suhl"},                   // Thüringen
}

// orgKinds make an organisation from a town.
var orgKinds = []string{"Stadt %s", "Stadtverwaltung %s", "Landkreis %s", "Zweckverband IT %s", "Kommunales Rechenzentrum %s"}

// topics are the catalogue's topics; earlier ones are drawn more often.
var topics = []string{
	"Verwaltungsdigitalisierung", "Onlinezugangsgesetz", "eAkte", "E-Rechnung", "Schuldigitalisierung",
	"IT-Sicherheit", "Informationssicherheit", "Datenschutz", "Personal", "Kulturwandel",
	"Digitalisierungsstrategie", "Bürgerservice", "Servicekonto", "Open Data", "Breitband",
	"Freifunk", "Smart City", "Beschaffung", "IT-Betrieb", "Cloud",
	"Rechenzentrum", "Schnittstellen", "Registermodernisierung", "Prozessmanagement", "Organisation",
	"Projektmanagement", "Agile Methoden", "Archivierung", "Scannen", "Dokumentenmanagement",
	"Geodaten", "Bauleitplanung", "Ratsinformationssystem", "Bürgerbeteiligung", "Barrierefreiheit",
	"Fachverfahren", "Interkommunale Zusammenarbeit", "Fördermittel", "Haushalt", "Ausbildung",
	"Fortbildung", "Homeoffice", "Telefonie", "Künstliche Intelligenz", "Chatbots",
	"Nachhaltigkeit", "Katastrophenschutz", "Feuerwehr",
}

// eventPlaces host the generated events.
var eventPlaces = []string{"Leipzig", "Dresden", "Erfurt", "Magdeburg", "Potsdam", "Hannover", "Kassel", "Würzburg", "Mainz", "Kiel"}
