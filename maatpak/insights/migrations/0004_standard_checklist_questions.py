"""The standard questions of the client council's checklist (issue 15, item 4), in Dutch.

They come from the seeds: the questions in the foreword of the LCR magazine "Re-integratie —
opnieuw aan de slag" (October 2016, seed 004) and the findings and six recommendations of the
report "Re-integratie in de gemeente Smallingerland" of the client council Smallingerland (May
2011, seed 000). Each names the indicators (registry codes) that answer it, or says why no
figure can ("niet meetbaar"). A migration keeps its own copy of the texts: later changes to the
questions are new migrations, so a database always says which questions it was given.
"""

from django.db import migrations

LCR = "Voorwoord LCR-magazine ‘Re-integratie — opnieuw aan de slag’, oktober 2016 (seed 004)"
CRS_FINDINGS = "Bevindingen, rapport ‘Re-integratie in de gemeente Smallingerland’, Cliëntenraad Smallingerland, mei 2011 (seed 000)"
CRS_CONCLUSION = "Conclusie, rapport ‘Re-integratie in de gemeente Smallingerland’, Cliëntenraad Smallingerland, mei 2011 (seed 000)"


def crs_advice(number):
    return f"Aanbeveling {number}, rapport ‘Re-integratie in de gemeente Smallingerland’, Cliëntenraad Smallingerland, mei 2011 (seed 000)"


# (text, source, indicator codes, not measurable because, explanation)
QUESTIONS = [
    # --- seed 004: the foreword's questions -------------------------------------------------
    (
        "Welke dienstverlening biedt de gemeente?",
        LCR,
        ["instruments_started_by_cluster", "people_reached_by_cluster", "employer_instruments_started"],
        "",
        "",
    ),
    (
        "Wat is er ingekocht en voor wie, staat maatwerk werkelijk centraal?",
        LCR,
        ["bought_from_providers", "bought_for_groups", "plans_with_own_ideas"],
        "",
        "",
    ),
    (
        "Krijgt iedereen een standaard-aanbod, of is de dienstverlening gericht op wat iemand nodig heeft?",
        LCR,
        ["offers_by_sol_group", "offers_by_ladder_rung", "offers_by_age_band", "offers_by_sex", "offers_by_months_on_benefit"],
        "",
        "Als sommige groepen veel minder aanbod krijgen dan andere, kiest de gemeente aan de poort wie zij helpt.",
    ),
    (
        "Stelt de gemeente kwaliteitseisen aan de uitvoerders, en houden zij zich daaraan?",
        LCR,
        ["reports_on_time", "closed_with_end_report", "reports_handed_over"],
        "",
        "Deze cijfers gaan over alle aanbieders samen. De cijfers per aanbieder staan in de contractmonitoring van de gemeente. "
        "Vraag de gemeente daarnaar.",
    ),
    (
        "Kent de gemeente haar werkzoekenden goed?",
        LCR,
        ["caseload_per_consultant", "consultant_changes", "plans_with_own_ideas"],
        "",
        "Of iemand echt gekend wordt, meet geen cijfer. Deze cijfers laten zien of de consulent er tijd voor heeft, "
        "of mensen een vaste consulent houden en of hun eigen ideeën in het plan staan.",
    ),
    (
        "Is de toeleiding naar werk op maat?",
        LCR,
        ["plans_with_own_ideas", "outflow_by_reason", "work_durability", "repeat_with_reason"],
        "",
        "",
    ),
    # --- seed 000: the findings and the conclusion ------------------------------------------
    (
        "Worden trajecten afgesloten met een eindrapportage en een conclusie?",
        CRS_FINDINGS,
        ["closed_with_end_report"],
        "",
        "",
    ),
    (
        "Krijgen deelnemers een afschrift van hun trajectplan en van de rapportages over hen?",
        CRS_FINDINGS,
        ["plans_handed_over", "reports_handed_over"],
        "",
        "",
    ),
    (
        "Is er voortgangscontrole: komen de rapportages over de deelnemer op tijd?",
        CRS_FINDINGS,
        ["reports_on_time"],
        "",
        "",
    ),
    (
        "Volgen deelnemers het ene traject na het andere zonder dat duidelijk is waarom?",
        CRS_FINDINGS,
        ["repeat_with_reason"],
        "",
        "",
    ),
    (
        "Wordt de uitkering gekort op het woord van het re-integratiebedrijf?",
        CRS_FINDINGS,
        ["sanctions", "sanctions_on_provider_word"],
        "",
        "",
    ),
    (
        "Komen de eigen ideeën en wensen van de deelnemer in het trajectplan?",
        CRS_FINDINGS,
        ["plans_with_own_ideas"],
        "",
        "",
    ),
    (
        "Is er contact met gewone werkgevers, en niet alleen met leerbedrijven?",
        CRS_FINDINGS,
        ["employer_instruments_started"],
        "",
        "",
    ),
    (
        "Leiden trajecten tot gewoon werk, en blijft dat werk?",
        CRS_FINDINGS,
        ["outflow_by_reason", "work_durability", "return_to_benefit_12m"],
        "",
        "",
    ),
    (
        "Hoe ervaren deelnemers hun traject? Voelen zij zich serieus genomen?",
        CRS_FINDINGS,
        ["anonymous_feedback", "survey_results"],
        "",
        "",
    ),
    (
        "Zien de re-integratiebedrijven begeleiding naar gewoon werk of een opleiding als hun opdracht?",
        CRS_FINDINGS,
        [],
        "Dit staat in de opdracht en de contracten van de aanbieders, niet in de gegevens over deelnemers. "
        "Vraag de gemeente naar de opdracht in de contracten.",
        "",
    ),
    (
        "Kan de gemeente laten zien hoeveel mensen uit de uitkering gaan, en waarom?",
        CRS_CONCLUSION,
        ["inflow", "outflow_by_reason", "return_to_benefit_12m", "exemptions"],
        "",
        "",
    ),
    # --- seed 000: the six recommendations --------------------------------------------------
    (
        "Doet de gemeente de re-integratie deels zelf, met daarnaast bedrijven die goed zijn in het werken met bepaalde groepen?",
        crs_advice(1),
        ["bought_from_providers", "bought_for_groups", "instruments_started_by_cluster"],
        "",
        "",
    ),
    (
        "Stopt de gemeente met trajecten die niet leiden tot echt perspectief?",
        crs_advice(2),
        ["outflow_by_reason", "work_durability", "ladder_movement", "goals_reached", "repeat_with_reason"],
        "",
        "Deze cijfers zeggen wat er na een traject gebeurde, niet of het traject dat veroorzaakte. "
        "Sommige mensen hadden ook zonder traject werk gevonden.",
    ),
    (
        "Zijn er afspraken met plichten voor beide kanten, en houden de gemeente en de deelnemer zich eraan?",
        crs_advice(3),
        ["agreements_kept_by_party", "municipality_defaults", "sanctions"],
        "",
        "",
    ),
    (
        "Past het traject bij de mogelijkheden en de eigen ideeën van de deelnemer?",
        crs_advice(4),
        ["plans_with_own_ideas", "goals_reached", "survey_results"],
        "",
        "",
    ),
    (
        "Kent de gemeente de arbeidsmarkt in de regio, en zoekt zij zelf werk bij werkgevers (matching)?",
        crs_advice(5),
        ["employer_instruments_started", "work_durability"],
        "",
        "Hoeveel de gemeente weet van de arbeidsmarkt, meet geen cijfer. Deze cijfers laten zien wat er met werkgevers wordt gedaan "
        "en of het werk blijft.",
    ),
    (
        "Kiest de gemeente voor een aanpak waarin zorg, inkomen, wonen, het verleden en werk samen worden bekeken?",
        crs_advice(6),
        [],
        "Geen cijfer in dit rapport laat zien of zorg, inkomen, wonen en werk samen worden aangepakt. "
        "De consulent legt de leefgebieden per deelnemer vast, maar daar is (nog) geen cijfer van gemaakt. "
        "Vraag de gemeente hoe zij dit doet, en vraag deelnemers naar hun ervaring.",
        "",
    ),
]


def add_questions(apps, schema_editor):
    ChecklistQuestion = apps.get_model("insights", "ChecklistQuestion")
    ChecklistQuestion.objects.bulk_create(
        ChecklistQuestion(
            municipality=None,
            text=text,
            source=source,
            indicator_codes=codes,
            not_measurable_reason=reason,
            explanation=explanation,
            position=position,
            active=True,
        )
        for position, (text, source, codes, reason, explanation) in enumerate(QUESTIONS, start=1)
    )


def remove_questions(apps, schema_editor):
    ChecklistQuestion = apps.get_model("insights", "ChecklistQuestion")
    ChecklistQuestion.objects.filter(municipality=None, text__in=[question[0] for question in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_checklistquestion"),
    ]

    operations = [migrations.RunPython(add_questions, remove_questions)]
