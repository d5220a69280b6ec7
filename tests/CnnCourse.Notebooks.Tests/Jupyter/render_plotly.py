"""Renders Plotly figures (application/vnd.plotly.v1+json) with the real plotly.js in headless Chromium,
one after another on one local page, and reports what plotly.js made of each.

Used by the Plotly rendering tests (PlotlyJs in tests/CnnCourse.Notebooks.Tests/Support): Debian's
chromium, chromium-driver and python3-selenium, run with /usr/bin/python3, as run_in_browser.py is.
plotly.js is the copy `./course setup` installs (tools/plotly pins it); nothing is downloaded here.

--figures names a JSON file: [{"label": "...", "figure": {"data": [...], "layout": {...}}}, ...].
Prints one JSON object on stdout, whatever the outcome:

  {"plotly_version": "4.1.2" | null, "error": null | "...", "seconds": s,
   "results": [{"label": ..., "error": null | "...", "data": n, "full_data": n, "visible": n,
                "trace_groups": n, "main_svgs": n, "types": [...], "invalid": [...], "console": [...]}]}

error: plotly.js threw, or Plotly.newPlot rejected; data: the figure's traces; full_data: the traces
plotly.js kept (gd._fullData); visible: those of them it draws (visible === true); trace_groups: the
traces drawn in the page (an SVG group per trace: g.trace for scatter, bar and the like, g.hm for a
heatmap); main_svgs: the plot's SVG layers (.main-svg); invalid: Plotly.validate's messages (an
attribute plotly.js does not know, so ignores); console: what plotly.js logged as a warning or error.

Exit code 0 when every figure was tried (the test judges the results), 1 when the page or plotly.js
could not be loaded, 2 for a bad command line.
"""
import argparse
import html
import json
import pathlib
import sys
import time

from selenium.common.exceptions import WebDriverException

import headless_chromium

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>plotly.js figures</title>
<script src="{plotly}"></script>
<script>
  // What plotly.js logs while a figure is drawn (its Lib.warn and Lib.error go to the console).
  window.plotlyConsole = [];
  for (const level of ['warn', 'error']) {{
    const original = console[level].bind(console);
    console[level] = (...args) => {{ window.plotlyConsole.push(level + ': ' + args.map(String).join(' ')); original(...args); }};
  }}
  window.addEventListener('error', e => window.plotlyConsole.push('uncaught: ' + e.message));
</script>
</head><body></body></html>
"""

RENDER_JS = """
const [figure, done] = arguments;
const result = {error: null, data: 0, full_data: 0, visible: 0, trace_groups: 0, main_svgs: 0, types: [], invalid: [], console: []};
const finish = () => { result.console = window.plotlyConsole.splice(0); done(result); };
const fail = e => { result.error = String((e && e.message) || e); };
window.plotlyConsole.length = 0;
if (figure === null || typeof figure !== 'object' || !Array.isArray(figure.data)) {
  result.error = 'not a Plotly figure: no data array in ' + JSON.stringify(figure).slice(0, 200);
  finish();
  return;
}
const data = figure.data;
const layout = figure.layout || {};
result.data = data.length;
result.types = data.map(t => String((t && t.type) || 'scatter'));
const gd = document.createElement('div');
document.body.appendChild(gd);
try {
  result.invalid = (Plotly.validate(JSON.parse(JSON.stringify(data)), JSON.parse(JSON.stringify(layout))) || [])
    .map(issue => issue.msg);
  Plotly.newPlot(gd, data, layout, figure.config || {}).then(() => {
    result.full_data = (gd._fullData || []).length;
    result.visible = (gd._fullData || []).filter(t => t.visible === true).length;
    result.trace_groups = gd.querySelectorAll('g.trace, g.hm').length;
    result.main_svgs = gd.querySelectorAll('svg.main-svg').length;
  }, fail).catch(fail).finally(() => {
    try { Plotly.purge(gd); } catch (e) { /* the result is what counts */ }
    gd.remove();
    finish();
  });
} catch (e) {
  fail(e);
  gd.remove();
  finish();
}
"""


def log(message):
    print(f"[plotly] {message}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--figures", required=True, help="JSON file: [{label, figure}]")
    parser.add_argument("--plotly", required=True, help="plotly.min.js as ./course setup installs it")
    parser.add_argument("--work", required=True, help="a folder of the test's own: the page and Chromium's profile go there")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    started = time.monotonic()
    figures = json.loads(pathlib.Path(args.figures).read_text(encoding="utf-8"))
    work = pathlib.Path(args.work)
    page = work / "figures.html"
    page.write_text(PAGE.format(plotly=html.escape(pathlib.Path(args.plotly).resolve().as_uri())), encoding="utf-8")

    driver = None
    report = {"plotly_version": None, "error": None, "results": [], "seconds": 0.0}
    try:
        driver = headless_chromium.start(args.chromium, args.chromedriver, work / "chromium-profile")
        driver.set_script_timeout(60)
        driver.get(page.as_uri())
        report["plotly_version"] = driver.execute_script("return window.Plotly ? Plotly.version : null;")
        if report["plotly_version"] is None:
            raise RuntimeError(f"plotly.js did not load from {args.plotly}")
        log(f"plotly.js {report['plotly_version']} loaded; {len(figures)} figures")
        for item in figures:
            result = driver.execute_async_script(RENDER_JS, item["figure"])
            result["label"] = item["label"]
            report["results"].append(result)
        return 0
    except (WebDriverException, RuntimeError) as e:
        report["error"] = f"{type(e).__name__}: {e}"
        log(f"failed: {report['error']}")
        return 1
    finally:
        report["seconds"] = round(time.monotonic() - started, 1)
        if driver is not None:
            driver.quit()
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    sys.exit(main())
