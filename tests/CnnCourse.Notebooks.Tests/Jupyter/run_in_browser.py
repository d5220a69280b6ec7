"""Opens a notebook in Jupyter Notebook's classic UI in headless Chromium, runs all its cells, and
reports what the page shows.

Used by BrowserTests (tests/CnnCourse.Notebooks.Tests): Debian's chromium, chromium-driver and
python3-selenium, run with /usr/bin/python3. The test starts the server and ends every process
(this script quits the browser itself too); this script only drives the browser. It prints one
JSON object on stdout, whatever the outcome:

  {"cells": [{"index": i, "prompt": n | "*" | null, "output_types": [...], "text": "..."}],
   "kernel_status": "...", "finished": true | false, "seconds": s}

Exit code 0 when the page was driven to the end (the test judges the outputs), 1 when the page or the
kernel could not be reached or the run did not finish within --timeout, 2 for a bad command line.
"""
import argparse
import json
import sys
import time

from selenium.common.exceptions import WebDriverException

import headless_chromium

# The classic notebook's front-end state, read as the user sees it: each code cell's prompt
# (In [n], In [*] while queued or running), its outputs (types and rendered text), and the kernel
# indicator in the toolbar.
STATE_JS = """
const nb = Jupyter.notebook;
const cells = nb.get_cells().map((c, i) => ({
  index: i,
  type: c.cell_type,
  prompt: c.cell_type === 'code' ? (c.input_prompt_number === undefined ? null : c.input_prompt_number) : null,
  output_types: c.cell_type === 'code' ? c.output_area.outputs.map(o => o.output_type) : [],
  text: c.cell_type === 'code' ? c.output_area.element[0].innerText : ''
})).filter(c => c.type === 'code');
const icon = document.getElementById('kernel_indicator_icon');
const status = icon ? (icon.classList.contains('kernel_idle_icon') ? 'idle'
                    : icon.classList.contains('kernel_busy_icon') ? 'busy'
                    : icon.className) : 'none';
return {cells: cells, kernel_status: status};
"""

READY_JS = """
return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded
          && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()
          && document.getElementById('kernel_indicator_icon').classList.contains('kernel_idle_icon'));
"""


def log(message):
    print(f"[browser] {message}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="the notebook's page, token included")
    parser.add_argument("--screenshot", required=True, help="PNG written at the end, whatever the outcome")
    parser.add_argument("--scroll-to", default="", help="text of an output to scroll into view for the screenshot")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the kernel to start and every cell to run")
    parser.add_argument("--profile", required=True, help="Chromium's profile folder (its command line names it)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    started = time.monotonic()
    deadline = started + args.timeout
    driver = None
    result = {"cells": [], "kernel_status": "none", "finished": False, "seconds": 0.0}
    try:
        driver = headless_chromium.start(args.chromium, args.chromedriver, args.profile)
        driver.set_script_timeout(30)
        driver.get(args.url)
        log("page opened; waiting for the kernel")
        while not driver.execute_script(READY_JS):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the kernel was not connected and idle after {args.timeout:.0f} s")
            time.sleep(1)
        log(f"kernel idle after {time.monotonic() - started:.1f} s; Cell > Run All")
        driver.find_element("id", "celllink").click()
        driver.find_element("id", "run_all_cells").click()
        # Done: every code cell has its number (none queued or running) and the kernel is idle; or a
        # cell failed (the kernel aborts the queue) and the kernel has stayed idle for a while.
        time.sleep(2)
        idle_since = None
        while True:
            state = driver.execute_script(STATE_JS)
            result.update(state)
            numbered = all(isinstance(c["prompt"], int) for c in state["cells"])
            failed = any("error" in c["output_types"] for c in state["cells"])
            idle = state["kernel_status"] == "idle"
            idle_since = (idle_since or time.monotonic()) if idle else None
            if idle and (numbered or (failed and time.monotonic() - idle_since > 10)):
                result["finished"] = True
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"cells still running after {args.timeout:.0f} s: prompts "
                                   + str([c["prompt"] for c in state["cells"]]))
            time.sleep(1)
        log(f"all cells done after {time.monotonic() - started:.1f} s")
        return 0
    except (WebDriverException, TimeoutError) as e:
        log(f"failed: {type(e).__name__}: {e}")
        return 1
    finally:
        result["seconds"] = round(time.monotonic() - started, 1)
        if driver is not None:
            try:
                if args.scroll_to:
                    driver.execute_script(
                        "const t = arguments[0];"
                        "const el = [...document.querySelectorAll('.output_area')].find(e => e.innerText.includes(t));"
                        "if (el) el.scrollIntoView({block: 'center'});", args.scroll_to)
                driver.save_screenshot(args.screenshot)
            except WebDriverException as e:
                log(f"no screenshot: {e}")
            driver.quit()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
