"""Fixed data for the demo municipality: providers, names, texts (ladder and instruments are
the standard set from maatpak.core.reference).

Kept apart from the generator so the generator reads as the story of one municipality.
"""

# The ladder and the instrument catalogue are the standard set every municipality gets
# (maatpak.core.reference); the demo uses exactly that set.
from maatpak.core.reference import INSTRUMENTS, LADDER_RUNGS  # noqa: F401

# (name, kind, procurement, price euros, interval days, target %, bonus euros, malus euros)
PROVIDERS = [
    ("Werkplein Demodorp", "in_house", "in_house", 1800, 42, 30, 0, 0),
    ("Werkfit Re-integratie", "external", "tender", 2600, 42, 35, 500, 400),
    ("Perspectief Plus", "external", "tender", 2400, 56, 30, 400, 300),
    ("Stap Verder Coaching", "external", "single_quote", 1900, 28, 20, 250, 0),
    ("Leerwerkbedrijf De Schakel", "social_enterprise", "in_house", 3100, 42, 15, 0, 0),
]

COMPETENCES = [
    "Klantvriendelijk",
    "Stipt en betrouwbaar",
    "Samenwerken",
    "Zelfstandig werken",
    "Heftruckcertificaat",
    "Rijbewijs B",
    "Nederlandse taal (B1)",
    "Computervaardig",
    "Fysiek werk",
    "Zorgzaam",
    "Kassawerk",
    "Schoonmaak",
    "Groenonderhoud",
    "Koken",
    "Administratie",
    "Technisch inzicht",
    "Orderpicken",
    "VCA-certificaat",
]

SECTORS = [
    "Logistiek",
    "Zorg",
    "Detailhandel",
    "Horeca",
    "Schoonmaak",
    "Groen",
    "Bouw",
    "Techniek",
    "Zakelijke dienstverlening",
    "Overheid",
]
EMPLOYER_WORDS = [
    "Bakkerij",
    "Transport",
    "Zorggroep",
    "Installatietechniek",
    "Hoveniers",
    "Supermarkt",
    "Logistiek",
    "Schoonmaakbedrijf",
    "Drukkerij",
    "Autobedrijf",
    "Restaurant",
    "Bouwbedrijf",
]
VACANCY_TITLES = [
    "Magazijnmedewerker",
    "Medewerker schoonmaak",
    "Hovenier",
    "Kassamedewerker",
    "Zorghulp",
    "Keukenhulp",
    "Chauffeur",
    "Administratief medewerker",
    "Productiemedewerker",
    "Orderpicker",
    "Monteur",
    "Klantenservicemedewerker",
]

FIRST_NAMES_F = [
    "Anna",
    "Emma",
    "Sanne",
    "Fatima",
    "Lotte",
    "Maria",
    "Sophie",
    "Yasmina",
    "Ingrid",
    "Petra",
    "Naima",
    "Esther",
    "Linda",
    "Marieke",
    "Aisha",
    "Kim",
    "Nicole",
    "Hanneke",
    "Samira",
    "Joke",
]
FIRST_NAMES_M = [
    "Jan",
    "Mohammed",
    "Pieter",
    "Daan",
    "Ahmed",
    "Kees",
    "Sven",
    "Youssef",
    "Henk",
    "Mark",
    "Bram",
    "Mehmet",
    "Thomas",
    "Ruud",
    "Dennis",
    "Omar",
    "Erik",
    "Sjoerd",
    "Hamid",
    "Wim",
]
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Dijk"),
    ("", "Yılmaz"),
    ("", "El Amrani"),
    ("", "Kaya"),
    ("van der", "Meer"),
    ("", "Hoekstra"),
    ("", "Dijkstra"),
    ("de", "Jong"),
    ("", "Postma"),
    ("", "Bouma"),
]
STREETS = [
    "Dorpsstraat",
    "Kerkweg",
    "Molenlaan",
    "Stationsplein",
    "Schoolstraat",
    "Beukenlaan",
    "Wilhelminastraat",
    "Julianalaan",
    "Vaart",
    "Zuiderdiep",
]

WISHES = [
    "Ik wil graag iets met dieren doen.",
    "Ik wil weer tussen de mensen zijn, het maakt niet uit wat voor werk.",
    "Ik zou graag in de zorg willen werken, ik heb voor mijn moeder gezorgd.",
    "Ik wil mijn rijbewijs halen zodat ik verder van huis kan werken.",
    "Ik wil eerst mijn schulden op orde hebben voordat ik aan werk denk.",
    "Ik wil graag buiten werken, in het groen.",
    "Ik zou een eigen bedrijfje willen beginnen als kapper.",
    "Ik wil beter Nederlands leren zodat ik mijn kinderen kan helpen.",
    "Ik wil werken met mijn handen, iets technisch.",
    "Ik wil parttime werken zodat ik mijn kinderen uit school kan halen.",
    "Ik wil een opleiding afmaken, ik was bijna klaar met mijn mbo.",
    "Ik wil niet meer achter de geraniums zitten, ik wil ergens bij horen.",
]

GOALS = [
    ("daily_structure", "Elke werkdag om 9 uur beginnen", "Vier weken achter elkaar op tijd aanwezig"),
    ("social_contacts", "Wekelijks contact buiten huis", "Elke week minstens één activiteit buitenshuis"),
    ("volunteer_work", "Structureel vrijwilligerswerk", "Drie maanden minstens 8 uur per week vrijwilligerswerk"),
    ("expertise", "Certificaat behalen", "Certificaat ontvangen"),
    ("social_skills", "Zelf een gesprek met een werkgever voeren", "Twee gesprekken zelfstandig gevoerd"),
    ("finances", "Schulden in beeld en regeling getroffen", "Schuldregeling getekend"),
    ("health", "Hulp bij gezondheid geregeld", "Intake bij hulpverlener gehad"),
]

PARTICIPANT_PROMISES = [
    "Ik solliciteer op twee passende vacatures per maand.",
    "Ik kom naar alle afspraken en bel af als ik ziek ben.",
    "Ik volg de cursus tot het einde.",
    "Ik houd mijn sollicitaties bij in een overzicht.",
    "Ik ga drie dagdelen per week naar mijn werkplek.",
]
MUNICIPALITY_PROMISES = [
    "De gemeente regelt kinderopvang voor de dagen van het traject.",
    "De gemeente vergoedt de reiskosten naar de werkplek.",
    "De klantmanager belt elke maand om te horen hoe het gaat.",
    "De gemeente meldt u binnen twee weken aan bij schuldhulpverlening.",
    "De gemeente zoekt samen met u een werkervaringsplaats.",
]

CONCLUSIONS = {
    "regular_work": "Deelnemer heeft een arbeidscontract bij een reguliere werkgever.",
    "subsidised_work": "Deelnemer werkt met loonkostensubsidie; begeleiding door jobcoach loopt door.",
    "education": "Deelnemer is gestart met een reguliere opleiding.",
    "self_employment": "Deelnemer is als zelfstandige gestart.",
    "social_participation": "Deelnemer doet structureel vrijwilligerswerk; betaald werk is nu nog niet haalbaar.",
    "none": "Het traject heeft niet tot het doel geleid; gezondheid en schulden stonden in de weg.",
}

# Anonymous reactions to the client council: (topic, weight, rating weights, texts). The texts
# echo what Smallingerland's participants told their client council (seed 000).
_LOW = [(1, 20), (2, 30), (3, 30), (4, 15), (5, 5)]
_MIXED = [(1, 10), (2, 20), (3, 30), (4, 25), (5, 15)]
FEEDBACK = [
    (
        "plan",
        30,
        _MIXED,
        [
            "Ik heb mijn plan nu op papier gekregen. Dat had ik bij het vorige traject nooit.",
            "Mijn eigen idee staat in het plan. Fijn dat er naar me geluisterd werd.",
            "Het plan ging vooral over wat ik moet doen, minder over wat de gemeente doet.",
            "Ik begreep niet alles in het plan. Het mag wat eenvoudiger.",
        ],
    ),
    (
        "consultant",
        25,
        _MIXED,
        [
            "Alweer een nieuwe klantmanager. Ik moet mijn verhaal steeds opnieuw vertellen.",
            "Mijn klantmanager belt terug als ze dat belooft.",
            "Ik wist niet dat ik om een andere klantmanager mocht vragen.",
        ],
    ),
    (
        "provider",
        20,
        _LOW,
        [
            "Na de intake heb ik weken niets gehoord van het bedrijf.",
            "De sollicitatietraining was nuttig, maar paste niet bij wat ik wil.",
            "Ik heb het verslag over mij nu kunnen lezen en er iets op kunnen zeggen.",
        ],
    ),
    (
        "sanctions",
        10,
        _LOW,
        [
            "Er werd meteen gezegd dat mijn uitkering omlaag kan. Daar word je bang van.",
            "Ik durf niet te zeggen dat het traject niet werkt.",
        ],
    ),
    (
        "respect",
        10,
        _MIXED,
        [
            "Ik werd serieus genomen, ook met mijn gezondheidsklachten.",
            "Soms voel ik me een nummer.",
        ],
    ),
    (
        "other",
        5,
        _MIXED,
        [
            "Graag meer hulp bij schulden voordat ik aan werk moet denken.",
            "Het zou fijn zijn als de kinderopvang eerder geregeld wordt.",
        ],
    ),
]
