"""Statistics deliveries (statistiekleveringen): the files Maatpak hands to CBS and Divosa.

- The CBS re-integration statistic (SRG, Statistiek Re-integratie door Gemeenten): one line per
  provision (voorziening) that ran on at least one day of the period, with CBS's provision type,
  its start and end and a person key. The person key is a pseudonym per delivery year unless the
  official delivery asks for the BSN (see `srg_person_keys`).
- The Divosa benchmark: inflow, outflow by reason, exemptions and sanctions per municipality and
  quarter, read from the indicator registry so the numbers are the dashboard's.

docs/statistics-deliveries.md describes both files field by field. The management commands
`export_srg` and `export_divosa` and the policy officer's download (statistics_views) only call
the functions here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from maatpak.audit.models import AuditAction, AuditEvent
from maatpak.audit.services import SYSTEM_ACTOR_LABEL
from maatpak.core.spreadsheet import write_csv, xlsx_bytes
from maatpak.insights.indicators import TOTAL_KEY, Facts, Indicator, Period, get_indicator
from maatpak.participants.models import Participant
from maatpak.trajectories.models import PlannedInstrument, PlanVersion, SrgType, TrajectoryStatus

# --- CBS: the SRG provisions file ----------------------------------------------------------------


@dataclass(frozen=True)
class SrgCategory:
    """How one Maatpak `SrgType` is called in CBS's SRG guidelines (Richtlijnen SRG, kenmerk
    'Type voorziening'). `cbs_code` is CBS's numeric code where we have checked it; None means
    it must be looked up in the guidelines of the delivery year before the first delivery."""

    name: str
    cbs_code: int | None = None


# The one place that maps Maatpak's provision types to CBS's (the doc's table follows it; a test
# keeps them in step). The file carries the SrgType value; CBS's code is looked up here.
SRG_CATEGORIES: dict[str, SrgCategory] = {
    SrgType.WAGE_COST_SUBSIDY: SrgCategory("Loonkostensubsidie (Participatiewet art. 10d)"),
    SrgType.SHELTERED_WORK: SrgCategory("Beschut werk (Participatiewet art. 10b)"),
    SrgType.JOB_COACH: SrgCategory("Jobcoach/begeleiding op de werkplek", 30),
    SrgType.PARTICIPATION_PLACE: SrgCategory("Participatieplaats / werkervaringsplaats"),
    SrgType.WORK_PLACEMENT: SrgCategory("Werkstage / proefplaatsing"),
    SrgType.TRAINING: SrgCategory("Scholing"),
    SrgType.SOCIAL_ACTIVATION: SrgCategory("Sociale activering"),
    SrgType.GUIDANCE: SrgCategory("Begeleiding naar werk"),
    SrgType.OTHER: SrgCategory("Overige voorziening"),
}

# The fields as CBS names them; the last is "BSN" in the official delivery.
SRG_HEADER = ("Gemeentecode", "Type voorziening", "Begindatum voorziening", "Einddatum voorziening", "Persoonssleutel")
SRG_BSN_HEADER = "BSN"
SRG_DATE_FORMAT = "%Y%m%d"  # CBS writes dates as JJJJMMDD

PSEUDONYM = "pseudonym"
BSN = "bsn"
PERSON_KEYS = (PSEUDONYM, BSN)
# The label keeps this pseudonym apart from every other use of MAATPAK_HASH_KEY; "v1" lets a
# later scheme exist beside it. Changing it changes every pseudonym, so it is fixed.
PSEUDONYM_LABEL = "maatpak/cbs-srg/person-key/v1"
PSEUDONYM_LENGTH = 20  # hex characters: 80 bits, no collisions in any municipality


@dataclass(frozen=True)
class Provision:
    """One provision (voorziening) as delivered: an instrument on the plan in force of a
    trajectory. `end` is None while it runs (on the reference day)."""

    planned_instrument_id: int
    participant_id: int
    srg_type: str
    start: dt.date
    end: dt.date | None


# Trajectories whose plan was put to work: a draft (or one awaiting signatures) started nothing.
_DELIVERED_STATUSES = (TrajectoryStatus.ACTIVE, TrajectoryStatus.CLOSED)


def srg_provisions(*, municipality, period_start: dt.date, period_end: dt.date, today: dt.date) -> list[Provision]:
    """Provisions of `municipality` that ran on at least one day from `period_start` to
    `period_end` (both included), as known on `today`.

    A provision is a planned instrument on the plan version in force of an active or closed
    trajectory (PlanVersion.objects.in_force_first): a revision still being agreed repeats the
    instruments it keeps, so reading one version per trajectory delivers each provision once.
    It starts on its start date and ends on its end date, or on the day the trajectory closed if
    that came first; one that had not started by then never ran. An end after `today` is not
    known yet: the provision runs, its end stays empty. One not started on `today` is left out.
    """
    in_force = PlanVersion.objects.in_force_first().filter(trajectory_id=OuterRef("plan__trajectory_id")).values("pk")[:1]
    rows = (
        PlannedInstrument.objects.filter(
            municipality=municipality,
            plan__trajectory__status__in=_DELIVERED_STATUSES,
            start_date__lte=min(period_end, today),
        )
        .filter(plan_id=Subquery(in_force))
        .order_by("start_date", "id")
        .values_list(
            "id", "plan__trajectory__participant_id", "instrument__srg_type", "start_date", "end_date", "plan__trajectory__ended_on"
        )
    )
    provisions = []
    for pk, participant_id, srg_type, start, end, closed_on in rows:
        if closed_on is not None and closed_on < end:
            if closed_on < start:
                continue  # the trajectory closed before the provision began
            end = closed_on
        if end < period_start:
            continue
        provisions.append(Provision(pk, participant_id, srg_type, start, None if end > today else end))
    return provisions


def srg_pseudonym(*, bsn_hash: str | None, participant_id: int, municipality_code: str, year: int) -> str:
    """The person key of the default SRG file: the same for one person within one municipality
    and delivery year, different across years and municipalities (so files cannot be linked
    without Maatpak), and no BSN without Maatpak's secret key.

    It is an HMAC-SHA256 with MAATPAK_HASH_KEY over a fixed label, the municipality, the year and
    the stored keyed BSN hash (itself an HMAC of the BSN): trying all 10^9 BSNs needs the key.
    People imported without a BSN get one from their participant id, stable in the same way."""
    subject = bsn_hash or f"participant:{participant_id}"
    message = "|".join((PSEUDONYM_LABEL, municipality_code, str(year), subject))
    return hmac.new(settings.MAATPAK_HASH_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def srg_person_keys(*, participant_ids, municipality, year: int, person_key: str) -> dict[int, str]:
    """Person key per participant id: the pseudonym, or (for the official delivery) the BSN,
    decrypted by Participant.bsn. A participant without a BSN has no key in BSN mode."""
    if person_key not in PERSON_KEYS:
        raise ValueError(f"Unknown person key {person_key!r}; choose one of {', '.join(PERSON_KEYS)}.")
    people = Participant.objects.filter(municipality=municipality, pk__in=set(participant_ids))
    if person_key == BSN:
        return {p.pk: p.bsn for p in people.only("id", "bsn_encrypted") if p.bsn_encrypted}
    return {
        pk: srg_pseudonym(bsn_hash=bsn_hash, participant_id=pk, municipality_code=municipality.code, year=year)
        for pk, bsn_hash in people.values_list("id", "bsn_hash")
    }


@dataclass
class SrgFile:
    header: list[str]
    rows: list[list[str]]
    left_out_without_bsn: int = 0


def srg_file(
    *, municipality, year: int, period_start: dt.date, period_end: dt.date, today: dt.date, person_key: str = PSEUDONYM
) -> SrgFile:
    """The SRG file's header and lines (see SRG_HEADER), ordered by start date. In BSN mode a
    provision of someone without a recorded BSN cannot be delivered: it is counted, not written."""
    provisions = srg_provisions(municipality=municipality, period_start=period_start, period_end=period_end, today=today)
    keys = srg_person_keys(
        participant_ids=[p.participant_id for p in provisions], municipality=municipality, year=year, person_key=person_key
    )
    header = list(SRG_HEADER)
    if person_key == BSN:
        header[-1] = SRG_BSN_HEADER
    rows, left_out = [], 0
    for provision in provisions:
        key = keys.get(provision.participant_id)
        if not key:
            left_out += 1
            continue
        end = provision.end.strftime(SRG_DATE_FORMAT) if provision.end else ""
        rows.append([municipality.code, provision.srg_type, provision.start.strftime(SRG_DATE_FORMAT), end, key])
    return SrgFile(header=header, rows=rows, left_out_without_bsn=left_out)


# --- Divosa: the benchmark indicators --------------------------------------------------------------

# Read from the indicator registry by code, so the file holds the dashboard's numbers.
DIVOSA_INDICATORS = ("inflow", "outflow_by_reason", "exemptions", "sanctions")
DIVOSA_HEADER = ("gemeentecode", "kwartaal", "indicator", "categorie", "waarde")
DIVOSA_FORMATS = ("csv", "xlsx")
MAX_QUARTERS = 40  # ten years: more in one file is a mistake, and costly to compute


@dataclass(frozen=True)
class DivosaLine:
    municipality_code: str
    quarter: str
    indicator: str
    category: str
    value: int

    def as_row(self) -> list:
        return [self.municipality_code, self.quarter, self.indicator, self.category, self.value]


def quarter_range(*, first_code: str | None, last_code: str | None, today: dt.date) -> tuple[Period, Period]:
    """The quarters from `first_code` to `last_code` ('2026-Q1'); by default the last four that
    have ended on `today`. Raises ValueError with a message for the user."""
    last = _quarter(last_code) if last_code else Period.last_ended(today)
    first = _quarter(first_code) if first_code else last.shifted(-3)
    if first > last:
        raise ValueError(
            _("The first quarter (%(first)s) comes after the last quarter (%(last)s).") % {"first": first.code, "last": last.code}
        )
    if len(quarters_between(first, last)) > MAX_QUARTERS:
        raise ValueError(_("Choose at most %(count)s quarters at a time.") % {"count": MAX_QUARTERS})
    return first, last


def _quarter(code: str) -> Period:
    period = Period.parse(code.strip())
    if period is None:
        raise ValueError(
            _("“%(code)s” is not a quarter. Write a quarter as year, -Q and a number from 1 to 4, e.g. 2026-Q1.") % {"code": code}
        )
    return period


def quarters_between(first: Period, last: Period) -> list[Period]:
    count = (last.year * 4 + last.number) - (first.year * 4 + first.number) + 1
    return [first.shifted(offset) for offset in range(max(count, 0))]


def divosa_indicators() -> list[Indicator]:
    """The registry's definitions of DIVOSA_INDICATORS; a missing one is a programming error."""
    found = {code: get_indicator(code) for code in DIVOSA_INDICATORS}
    missing = [code for code, item in found.items() if item is None]
    if missing:
        raise LookupError(f"Indicator(s) {', '.join(missing)} not in the registry (insights.indicators).")
    return list(found.values())


def divosa_lines(*, municipalities, first: Period, last: Period, today: dt.date) -> list[DivosaLine]:
    """One line per (municipality, quarter, indicator, category): every breakdown row of the
    indicator's table, then its total (category 'total'). Each municipality is its own block,
    computed on its own facts (also inside a shared service organisation). Not suppressed:
    the file goes to Divosa's benchmark, not to the public."""
    indicators = divosa_indicators()
    lines = []
    for municipality in sorted(municipalities, key=lambda m: m.code):
        facts = Facts(municipality_ids=[municipality.pk], today=today)
        for period in quarters_between(first, last):
            for item in indicators:
                table = item.evaluate(facts, period).table
                for row in [*table.rows, table.total]:
                    lines.append(DivosaLine(municipality.code, period.code, item.code, row.key or TOTAL_KEY, row.count))
    return lines


# --- writing the files -----------------------------------------------------------------------------


def divosa_xlsx(lines: list[DivosaLine]) -> bytes:
    return xlsx_bytes(list(DIVOSA_HEADER), [line.as_row() for line in lines], sheet_title="Divosa")


def divosa_csv(lines: list[DivosaLine]) -> str:
    stream = io.StringIO()
    write_csv(stream, DIVOSA_HEADER, [line.as_row() for line in lines])
    return stream.getvalue()


@transaction.atomic
def record_delivery(*, municipality, purpose: str, detail: dict) -> AuditEvent:
    """The audit log's system event for a delivery made by a command (no account acted). Only
    counts and parameters go in `detail`, never a BSN or a person key."""
    return AuditEvent.objects.create(
        actor=None,
        actor_label=SYSTEM_ACTOR_LABEL,
        municipality=municipality,
        action=AuditAction.EXPORT,
        purpose=purpose,
        detail=detail,
    )
