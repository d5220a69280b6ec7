"""Executes a notebook with Jupyter's own executor, nbclient (Debian's python3-nbclient), and writes
the executed notebook: the reference the runner's outputs are compared with (NbclientTests).

  /usr/bin/python3 execute_with_nbclient.py IN.ipynb OUT.ipynb --cwd DIR [--timeout-cell S]

The kernel is the notebook's kernelspec (.net-csharp), found on JUPYTER_PATH, started in --cwd.
Exit code 0 when every cell ran, 1 when a cell failed or timed out (OUT is written either way), 2 for
a bad command line.
"""
import argparse
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--cwd", required=True, help="the folder the kernel runs in (the notebook's)")
    parser.add_argument("--timeout-cell", type=int, default=600)
    args = parser.parse_args()

    notebook = nbformat.read(args.input, as_version=4)
    client = NotebookClient(notebook, timeout=args.timeout_cell, startup_timeout=180,
                            kernel_name=notebook.metadata.kernelspec.name,
                            resources={"metadata": {"path": args.cwd}})
    started = time.monotonic()
    status = 0
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        print(f"[nbclient] {type(e).__name__}: {e}", file=sys.stderr)
        status = 1
    finally:
        nbformat.write(notebook, args.output)
        print(f"[nbclient] {time.monotonic() - started:.1f} s", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
