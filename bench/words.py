"""Vocabulary for generated articles, German and English, written for the benchmark.

Words are drawn with Zipf-like weights (earlier words are more frequent), so full-text search meets
the spread of common and rare terms that real newsroom text has.
"""

from __future__ import annotations

EN_WORDS = """
the of and to in a is that for it on with as was by at be this from have are not or an but which
they more one were their has all would there been about what when will new so up out if who can some
city council report market energy school water price people year government week budget plan project
street river station train bridge hospital doctor patient nurse teacher student library museum theatre
concert festival season team player coach match goal league election vote party minister mayor office
policy law court judge police officer fire storm rain snow heat summer winter spring autumn harbour
ship port airport flight traffic road cycle bike bus tram ticket fare housing rent apartment building
construction worker union strike wage job company factory product customer service shop store bakery
coffee restaurant kitchen garden park forest tree field farm farmer harvest wheat apple wine beer
science research study data computer software network internet phone camera battery solar wind power
climate carbon emission heating insurance bank loan interest inflation economy export import trade
tourist hotel visitor guide history castle church tower square market village district region border
neighbourhood community volunteer charity family child parent friend neighbour story photo article
local national european global public private early late quiet busy green old young small large
important difficult cheap expensive open closed fast slow careful clear strong weak warm cold fresh
says said explained announced expects plans decided opened closed raised cut built moved tested found
showed added warned agreed rejected approved reported started finished improved reduced increased
""".split()

DE_WORDS = """
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden
aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder
aber vor zur bis mehr durch man sein wurde sei stadt rat bericht markt energie schule wasser preis
menschen jahr regierung woche haushalt plan projekt straße fluss bahnhof zug brücke krankenhaus ärztin
arzt patient pflege lehrer schülerin bibliothek museum theater konzert fest saison mannschaft spieler
trainer spiel tor liga wahl stimme partei ministerin bürgermeister amt gesetz gericht richterin polizei
feuerwehr sturm regen schnee hitze sommer winter frühling herbst hafen schiff flughafen flug verkehr
fahrrad bus straßenbahn fahrkarte wohnung miete gebäude baustelle arbeiter gewerkschaft streik lohn
firma fabrik produkt kunde geschäft laden bäckerei kaffee gasthaus küche garten wald baum feld hof
bauer ernte weizen apfel wein bier forschung studie daten rechner netz telefon kamera akku sonne wind
strom klima kohle heizung versicherung kredit zinsen wirtschaft ausfuhr handel gäste hotel geschichte
burg kirche turm platz dorf bezirk gemeinde ehrenamt verein familie kind eltern nachbarn foto beitrag
örtlich neu alt jung klein groß wichtig schwierig günstig teuer offen geschlossen schnell langsam
vorsichtig klar stark schwach warm kalt frisch grün ruhig voll sagte erklärte kündigte erwartet plant
entschied eröffnete schloss erhöhte senkte baute testete fand zeigte warnte lehnte billigte meldete
begann beendete verbesserte müller größe übergang öffnung prüfung änderung lösung zukunft gemeinderat
""".split()

#: Parts for German compounds ("Stadtrat", "Wasserpreis"): a long tail of rare words, as real text has.
DE_COMPOUND_HEADS = (
    "stadt wasser strom bahn schul haus land wald kinder bürger sport kultur wohn markt".split()
)
DE_COMPOUND_TAILS = "rat preis netz hof plan amt fest platz bau zeit weg verein bericht haus werk".split()

EN_FIRST = """
Anna Ben Chloe David Emma Felix Grace Henry Isla Jack Kate Liam Maya Noah Olivia Paul Quinn Rosa Sam
Tara Umar Vera Will Xenia Yusuf Zoe
""".split()
DE_FIRST = """
Anja Bernd Clara Dieter Elif Frank Greta Hans Ilse Jonas Katrin Lukas Mira Nils Oskar Petra Ralf Sabine
Till Ute Volker Wiebke Yannick Zeynep
""".split()
LAST = """
Adler Becker Brandt Carter Dietrich Evans Fischer Graf Hartmann Hughes Jung Keller Klein Lang Meyer
Morgan Neumann Otto Parker Richter Schmidt Schulz Stone Turner Vogel Wagner Walker Weber Wolf Young
Zimmermann Baker
""".split()
CITIES = "Hamburg Berlin Leipzig Bremen Köln München Dresden London Leeds Bristol Dublin Manchester".split()
