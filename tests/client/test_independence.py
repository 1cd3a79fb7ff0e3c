"""The client package stands alone: it can be published without Home Assistant."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from custom_components.sms_gateway import client


def test_the_client_package_works_without_home_assistant() -> None:
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
        import asyncio
        from aiohttp import ClientSession, web
        from custom_components.sms_gateway.client import HiSms
        from custom_components.sms_gateway.client.bulk import BulkSend
        from custom_components.sms_gateway.client.text import analyze_text

        async def balance(request):
            return web.Response(text="BLANCE:42")

        async def main():
            app = web.Application()
            app.router.add_post("/api.php", balance)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            async with ClientSession() as session:
                client = HiSms(
                    session,
                    username="966500000001",
                    password="secret",
                    base_url=f"http://127.0.0.1:{port}",
                )
                account = await client.authenticate()
            await runner.cleanup()
            return account.account_id

        assert analyze_text("Merhaba").segments == 1
        assert asyncio.run(BulkSend([]).run()).outcomes == ()
        print(asyncio.run(main()))
        assert "homeassistant" not in sys.modules
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, client.__path__[0]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "966500000001"
