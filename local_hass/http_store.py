"""Print the stored HTTP settings of the Home Assistant whose Python runs this.

``python -m local_hass.http_store PORT``, run by the Home Assistant that will
serve: newer releases keep the HTTP settings in storage and stage a YAML
``http:`` as a trial the owner must confirm in the browser, so for those the
settings are written to storage, as confirmed. An older release, which reads
``http:`` from the YAML, prints nothing.
"""

from __future__ import annotations

import datetime
import importlib
import json
import sys


def main(argv: list[str]) -> int:
    """Print the ``.storage/http`` document for the port ``argv[1]``."""
    try:
        config = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        return 0
    settings = dict(
        config.HTTP_STORAGE_SCHEMA(
            {"server_host": ["127.0.0.1"], "server_port": int(argv[1])}
        )
    )
    settings.update(
        created_at=datetime.datetime.now(datetime.UTC).isoformat(),
        error=None,
        error_message=None,
    )
    document = {
        "version": config.STORAGE_VERSION,
        "minor_version": config.STORAGE_MINOR_VERSION,
        "key": config.STORAGE_KEY,
        "data": {"stable": settings, "pending": None, "yaml_migration_done": True},
    }
    sys.stdout.write(json.dumps(document, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
