"""Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: the one browser set-up of
the tests that draw in a browser (run_in_browser.py, render_plotly.py)."""

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def start(chromium, chromedriver, profile):
    """A driver for a headless Chromium with its own profile folder (which its command line then names)."""
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-first-run", "--disable-extensions", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
