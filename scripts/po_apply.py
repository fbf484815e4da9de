"""Developer tool: fill an app's Dutch .po from a JSON object {msgid: msgstr} and compile it.

    python scripts/po_apply.py maatpak/<app> translations.json

Entries not in the JSON are left as they are; `tests/test_translations.py` fails while any
entry stays untranslated or fuzzy. (`make messages` refreshes the .po files from the code.)
"""

import json
import sys
from pathlib import Path

import polib


def main(app_dir: str, mapping_file: str) -> None:
    po_path = Path(app_dir) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    missing = [e.msgid for e in po if not (e.msgstr or e.msgstr_plural.get(0)) or "fuzzy" in e.flags]
    print(f"{po_path}: {len(po)} entries, {len(missing)} untranslated")
    for msgid in missing:
        print("  untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:3])
