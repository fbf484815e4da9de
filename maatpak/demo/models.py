from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Which demo was generated into a municipality, so re-running `demo` is a no-op."""

    municipality = models.OneToOneField(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="demo_dataset", verbose_name=_("municipality")
    )
    participants = models.PositiveIntegerField(_("participants"))
    seed = models.BigIntegerField(_("seed"))
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")

    def __str__(self):
        return f"{self.municipality} {self.participants}/{self.seed}"
