import json

from django.core.management.base import BaseCommand, CommandError

from maatpak.accounts.models import Municipality
from maatpak.insights.analysis.dataset import OUTCOMES, build_dataset
from maatpak.insights.selectors import SEGMENTS, effect_report


class Command(BaseCommand):
    help = "Net effect of a treatment (instrument code, 'sanction', 'integral' or 'provider:NAME') on an outcome, with a comparison group."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0090")
        parser.add_argument(
            "--treatment",
            required=True,
            help="instrument code, 'sanction', 'integral' (instruments from two or more clusters) or 'provider:NAME'",
        )
        parser.add_argument("--outcome", required=True, choices=sorted(OUTCOMES))
        parser.add_argument("--segment", choices=sorted(SEGMENTS))
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, municipality, treatment, outcome, segment, format, **options):
        tenant = Municipality.objects.filter(code=municipality).first()
        if tenant is None:
            raise CommandError(f"Unknown municipality {municipality!r}.")
        frame = build_dataset(municipality_ids=[tenant.pk])
        try:
            report = effect_report(frame, treatment=treatment, outcome=outcome, segment=segment)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{treatment} → {outcome}: treated {report['treated_n']}, comparison {report['control_n']}")
        self.stdout.write(
            f"gross: {report['gross_treated']} vs {report['gross_control']}; net effect {report['effect']} [{report['ci_low']}, {report['ci_high']}]"
        )
        for warning in report["warnings"] + report["cautions"]:
            self.stdout.write(f"! {warning}")
        for part in report["segments"]:
            self.stdout.write(
                f"  {segment}={part['segment']}: treated {part['treated_n']}, comparison {part['control_n']}; net effect {part['effect']} [{part['ci_low']}, {part['ci_high']}]"
            )
        if report["segment_left_out"]:
            self.stdout.write(f"  {segment} unknown: {report['segment_left_out']} left out")
