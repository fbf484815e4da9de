"""Standard reference data every municipality starts with, and the service that sets a
municipality up with it (`manage.py municipality_setup`).

- The participation ladder (participatieladder) of Regioplan for the VNG (2008): six rungs from
  isolated to paid work without support. One shared definition; a municipality that uses a
  variant adds a new version (DOMAIN.md §3).
- The instrument catalogue: IWI's five clusters (diagnosis and orientation, social activation,
  courses, support, mediation and aftercare) plus the employer-side instruments, each with
  its CBS SRG provision type and a typical cost (DOMAIN.md §5). A municipality then adjusts
  names, costs and availability in the admin; the setup never overwrites those changes.

The demo municipality uses the same data (maatpak/demo).
"""

LADDER_CODE = "regioplan-2008"
LADDER_VERSION = 1
LADDER_NAME = "Participatieladder (Regioplan 2008)"

LADDER_RUNGS = [
    {"rung": 1, "label": "Geïsoleerd", "description": "Geen contacten buiten de huisgenoten, behalve functionele contacten."},
    {
        "rung": 2,
        "label": "Sociale contacten buitenshuis",
        "description": "Wekelijks contact met niet-huisgenoten buiten georganiseerd verband.",
    },
    {
        "rung": 3,
        "label": "Deelname georganiseerde activiteiten",
        "description": "Wekelijks een cursus, opleiding of clubactiviteit, zonder verantwoordelijkheid voor anderen.",
    },
    {"rung": 4, "label": "Onbetaald werk", "description": "Vrijwilligerswerk of stage met verantwoordelijkheid voor anderen."},
    {
        "rung": 5,
        "label": "Betaald werk met ondersteuning",
        "description": "Betaald werk met instrumenten of aanvullende uitkering (ook beschut werk).",
    },
    {"rung": 6, "label": "Betaald werk", "description": "Betaald werk zonder ondersteuning (ook zelfstandigen)."},
]

# (code, name, cluster, srg_type, typical cost in euros, job_oriented, needs_provider, evidence_based)
INSTRUMENTS = [
    ("DIAG", "Diagnose en arbeidsverkenning", "diagnosis", "begeleiding", 900, False, True, False),
    ("ZELF", "Training zelfinzicht", "diagnosis", "overig", 600, False, True, False),
    ("ORI", "Oriëntatie op de arbeidsmarkt", "diagnosis", "begeleiding", 500, True, True, False),
    ("LOOP", "Loopbaanadvies", "diagnosis", "begeleiding", 700, True, True, False),
    ("STAGE", "Werkstage", "social_activation", "werkstage", 1200, True, True, False),
    ("VRIJW", "Vrijwilligerswerk met begeleiding", "social_activation", "sociale_activering", 800, False, False, False),
    ("LWT", "Leerwerktraject", "social_activation", "scholing", 3500, True, True, False),
    ("COACH", "Coaching en voortgangsgesprekken", "social_activation", "begeleiding", 1500, False, True, False),
    ("SOLL", "Sollicitatietraining", "courses", "scholing", 450, True, True, False),
    ("PC", "Computercursus", "courses", "scholing", 400, False, True, False),
    ("TAAL", "Taalcursus Nederlands", "courses", "scholing", 1800, False, True, False),
    ("VAK", "Korte vakopleiding", "courses", "scholing", 2800, True, True, False),
    ("SHV", "Schuldhulpverlening", "support", "overig", 1100, False, False, False),
    ("KOV", "Kinderopvang", "support", "overig", 2400, False, False, False),
    ("PSY", "Sociaal-psychologische hulp", "support", "overig", 1600, False, True, False),
    ("BEMID", "Bemiddeling naar werk", "mediation", "begeleiding", 1500, True, True, False),
    ("NAZORG", "Nazorg na plaatsing", "mediation", "begeleiding", 600, True, True, False),
    ("PROEF", "Proefplaatsing", "employer", "werkstage", 300, True, False, False),
    ("WEP", "Werkervaringsplaats", "employer", "werkstage", 1500, True, False, False),
    ("DETA", "Detachering", "employer", "begeleiding", 2500, True, True, False),
    ("LKS", "Loonkostensubsidie", "employer", "loonkostensubsidie", 9000, True, False, False),
    ("LD", "Loondispensatie", "employer", "loonkostensubsidie", 4000, True, False, False),
    ("NRP", "No-riskpolis", "employer", "overig", 0, True, False, False),
    ("JC", "Jobcoach", "employer", "jobcoach", 3000, True, True, False),
    ("IPS", "IPS (Individuele Plaatsing en Steun)", "mediation", "jobcoach", 4000, True, True, True),
    ("FIT4W", "Fit4Work (integrale aanpak)", "support", "begeleiding", 3200, True, True, True),
    ("WF", "Work First", "social_activation", "begeleiding", 1400, True, True, False),
    ("BESCH", "Beschut werk", "employer", "beschut_werk", 12000, False, False, False),
    ("PART", "Participatieplaats", "social_activation", "participatieplaats", 1000, False, False, False),
]
