"""The bands people are grouped in, for the analyses and the indicators alike (one rule).

Age bands follow the Participatiewet's own borders: under 27 the young-person rules apply
(zoekperiode, no benefit during education), and 55+ is where re-integration is known to stall.
"""

AGE_BANDS = ("18–26", "27–44", "45–54", "55+")
MONTHS_ON_BENEFIT_BANDS = ("< 12", "12–35", "36+")


def age_band(age: int) -> str:
    return "18–26" if age < 27 else "27–44" if age < 45 else "45–54" if age < 55 else "55+"


def months_on_benefit_band(months: int | None) -> str | None:
    if months is None:
        return None
    return "< 12" if months < 12 else "12–35" if months < 36 else "36+"
