"""The client package stands alone: it can be published without Home Assistant."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from custom_components.sms_gateway import client


def test_the_client_package_imports_without_home_assistant() -> None:
    probe = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "homeassistant" or name.startswith("homeassistant."):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import importlib.util, pathlib, types
        root = pathlib.Path(sys.argv[1])
        # Load the package without running the integration's __init__.
        for name, path in (
            ("custom_components", root.parent.parent),
            ("custom_components.sms_gateway", root.parent),
        ):
            module = types.ModuleType(name)
            module.__path__ = [str(path)]
            sys.modules[name] = module
        import custom_components.sms_gateway.client as client
        import custom_components.sms_gateway.client.bulk
        assert "homeassistant" not in sys.modules
        print(len(client.PROVIDERS))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, client.__path__[0]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
