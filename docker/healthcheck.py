"""The container's health probe: is the bot's /healthz answering 200 on this machine?

Docker runs it every 30 seconds, so it must cost little: the standard library only
(about 40 ms of CPU, where the whole `newsbot` command line took 1.6 s), and never a
proxy: an operator's HTTP_PROXY in .env must not route a loopback request elsewhere (an
empty ProxyHandler ignores the proxy variables). Exit 0 when healthy or degraded (200),
1 otherwise, like `newsbot health`.
"""

import os
import sys
import urllib.error
import urllib.request

LOOPBACK = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}


def main() -> int:
    port = os.environ.get("NEWSBOT_METRICS_PORT") or "9100"
    host = os.environ.get("NEWSBOT_METRICS_HOST") or "127.0.0.1"
    host = LOOPBACK.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{port}/healthz"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            print(response.read(2000).decode("utf-8", "replace"))
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"{url} answered {error.code}")
    except (OSError, ValueError) as error:
        print(f"no answer from {url}: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
