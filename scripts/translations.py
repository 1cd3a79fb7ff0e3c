"""Keep translations/en.json equal to strings.json and report gaps in the others.

Custom integrations are translated from translations/*.json at runtime;
strings.json is the source the English file is copied from.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent / "custom_components" / "sms_gateway"


def leaves(node: object, prefix: str = "") -> dict[str, object]:
    """Every text of a translation tree, by the path of its key."""
    if isinstance(node, dict):
        found: dict[str, object] = {}
        for key, value in node.items():
            found |= leaves(value, f"{prefix}.{key}" if prefix else key)
        return found
    return {prefix: node}


def main() -> int:
    """Copy strings.json to en.json; list what other languages lack."""
    strings = json.loads((ROOT / "strings.json").read_text(encoding="utf-8"))
    english = json.dumps(strings, indent=2, ensure_ascii=False) + "\n"
    (ROOT / "translations" / "en.json").write_text(english, encoding="utf-8")
    wanted = set(leaves(strings))
    status = 0
    for path in sorted((ROOT / "translations").glob("*.json")):
        have = set(leaves(json.loads(path.read_text(encoding="utf-8"))))
        missing, extra = sorted(wanted - have), sorted(have - wanted)
        if missing or extra:
            status = 1
            print(f"{path.name}: {len(missing)} missing, {len(extra)} extra")
            for key in missing[:20]:
                print(f"  missing {key}")
            for key in extra[:20]:
                print(f"  extra   {key}")
    return status


if __name__ == "__main__":
    sys.exit(main())
