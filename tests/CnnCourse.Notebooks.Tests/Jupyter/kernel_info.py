"""Asks a kernel, over the Jupyter messaging protocol, what it is: the kernelspec's kernel is started
by jupyter_client (Debian's python3-jupyter-client), sent a kernel_info_request, then one
execute_request (CODE), and shut down. Used by KernelInfoTests.

  /usr/bin/python3 kernel_info.py --kernel NAME --cwd DIR --code CODE [--timeout S]

Prints one JSON object: {"kernel_info": <the reply's content>, "execute": {"status": ...,
"stdout": "..."}}. Exit code 0 when both requests were answered, 1 otherwise.
"""
import argparse
import json
import queue
import sys

from jupyter_client.manager import start_new_kernel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", required=True, help="the kernelspec's name (found on JUPYTER_PATH)")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    manager, client = start_new_kernel(kernel_name=args.kernel, cwd=args.cwd, startup_timeout=args.timeout)
    result = {}
    try:
        result["kernel_info"] = client.kernel_info(reply=True, timeout=args.timeout)["content"]
        stdout = []
        reply = client.execute_interactive(
            args.code, timeout=args.timeout,
            output_hook=lambda msg: stdout.append(msg["content"]["text"])
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout" else None)
        result["execute"] = {"status": reply["content"]["status"], "stdout": "".join(stdout)}
        return 0
    except (queue.Empty, TimeoutError, RuntimeError) as e:
        result["error"] = f"{type(e).__name__}: {e}"
        return 1
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
