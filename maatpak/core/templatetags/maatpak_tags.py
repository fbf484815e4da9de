from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ labels|get_item:code }}`: look up a dict entry by a variable key."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def euros(cents):
    """Format integer cents as euros, Dutch style: 1234567 → € 12.345,67."""
    if cents is None:
        return "–"
    sign = "-" if int(cents) < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"€ {sign}" + f"{whole:,}".replace(",", ".") + f",{rest:02d}"
