"""Drives Debian's headless Chromium with selenium through the hub's web console: sign in through the
SSO's login form, see the dashboard, open a packet's timeline, switch to English and back, sign out.
Saves a screenshot of each step and prints what it checked as JSON.

Usage: console_browser.py CONFIG.json  (url, username, password, packetId, secret, artefacts)
"""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    url = config["url"]
    folder = config["artefacts"]
    os.makedirs(folder, exist_ok=True)
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=vi"):
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(config.get("chromedriver", "/usr/bin/chromedriver")), options=options)
    checks = {}
    wait = WebDriverWait(driver, 30)

    def shot(name):
        path = os.path.join(folder, name)
        driver.save_screenshot(path)
        checks.setdefault("screenshots", []).append(path)

    try:
        # 1. The console sends the browser to the SSO's login page.
        driver.get(url + "/console/")
        wait.until(conditions.presence_of_element_located((By.ID, "username")))
        checks["loginPage"] = "/sso/authorize" in driver.current_url and "Đăng nhập" in driver.page_source
        shot("01-sso-login.png")
        driver.find_element(By.ID, "username").send_keys(config["username"])
        driver.find_element(By.ID, "password").send_keys(config["password"])
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()

        # 2. Back in the console, on the dashboard, in Vietnamese.
        wait.until(conditions.presence_of_element_located((By.ID, "dashboard-traffic")))
        body = driver.page_source
        checks["dashboard"] = driver.current_url.rstrip("/").endswith("/console")
        checks["dashboardVietnamese"] = all(text in body for text in ("Bảng điều khiển", "Đăng xuất", "Gói tin hôm nay theo trạng thái"))
        checks["signedInAs"] = driver.find_element(By.ID, "who").text
        shot("02-dashboard.png")

        # 3. The packet list, then one packet's timeline.
        driver.find_element(By.LINK_TEXT, "Gói tin").click()
        wait.until(conditions.presence_of_element_located((By.ID, "packets")))
        driver.find_element(By.CSS_SELECTOR, "a.packet-link[href='/console/packets/%s']" % config["packetId"]).click()
        wait.until(conditions.presence_of_element_located((By.ID, "timeline")))
        checks["timelineEntries"] = len(driver.find_elements(By.CSS_SELECTOR, "#timeline tr.history-entry"))
        checks["timelineStates"] = [row.find_elements(By.TAG_NAME, "td")[2].text for row in driver.find_elements(By.CSS_SELECTOR, "#timeline tr.history-entry")]
        checks["contentShown"] = config["secret"] in driver.page_source
        shot("03-packet-timeline.png")

        # 4. English, on the same page, then back to Vietnamese.
        driver.find_element(By.ID, "lang-switch").click()
        wait.until(conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Packet timeline"))
        checks["english"] = "Sign out" in driver.page_source and driver.current_url.endswith(config["packetId"])
        shot("04-english.png")
        driver.find_element(By.ID, "lang-switch").click()
        wait.until(conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Diễn biến gói tin"))
        checks["vietnameseAgain"] = "Đăng xuất" in driver.page_source
        shot("05-vietnamese.png")

        # 5. Sign out: through the SSO's end-session endpoint, back to its login page.
        driver.find_element(By.ID, "logout").click()
        wait.until(conditions.presence_of_element_located((By.ID, "username")))
        checks["signedOut"] = "/sso/authorize" in driver.current_url
        shot("06-signed-out.png")
    except Exception as error:  # report what was seen so far, with a screenshot of where it stopped
        checks["error"] = "%s: %s" % (type(error).__name__, error)
        checks["url"] = driver.current_url
        shot("error.png")
    finally:
        driver.quit()
    print(json.dumps(checks, ensure_ascii=False))


if __name__ == "__main__":
    main()
