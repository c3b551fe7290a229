"""A person at a desk in Chromium: finds fields by their labels, clicks buttons by their
words, waits for the next page, and reads messages where the page shows them."""

from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait


class Desk:
    def __init__(self, driver, station):
        self.driver = driver
        self.station = station

    def open(self, path):
        self.driver.get(self.station.url + path)

    def field(self, label):
        """The input a visible label names, found as a screen reader would."""
        element = self.driver.find_element(By.XPATH, f"//label[starts-with(normalize-space(), '{label}')]")
        return self.driver.find_element(By.ID, element.get_attribute("for"))

    def type(self, label, text, clear=True):
        element = self.field(label)
        if clear:
            element.clear()
        element.send_keys(text)

    def choose(self, label, option):
        Select(self.field(label)).select_by_visible_text(option)

    def radio(self, legend, option):
        group = self.driver.find_element(By.XPATH, f"//fieldset[legend[starts-with(normalize-space(), '{legend}')]]")
        group.find_element(By.XPATH, f".//label[normalize-space()='{option}']").click()

    def click(self, text):
        """Clicks a link or button by its words and waits for the next page to load."""
        self.press(self.driver.find_element(By.XPATH, f"//*[self::a or self::button][normalize-space()='{text}']"))

    def press(self, element):
        """Clicks a link or button found some other way (one of several alike on a page)
        and waits for the next page to load."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 15).until(lambda _: self.gone(page))
        WebDriverWait(self.driver, 15).until(lambda driver: driver.execute_script("return document.readyState") == "complete")

    @staticmethod
    def gone(element):
        """The page the element was on has been replaced (Chromium may say so in two ways)."""
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    def flash(self):
        return self.driver.find_element(By.CSS_SELECTOR, "p.flash[role=status]").text

    def error_beside(self, label):
        element = self.field(label)
        assert element.get_attribute("aria-invalid") == "true"
        return self.driver.find_element(By.ID, element.get_attribute("id") + "-error").text

    def form_error(self):
        return self.driver.find_element(By.CSS_SELECTOR, ".error-box[role=alert]").text

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def login(self, name, password="mima12345"):
        self.open("/")
        assert self.driver.current_url.endswith("/login")
        self.type("姓名", name)
        self.type("密码", password)
        self.click("登录")
        assert "/login" not in self.driver.current_url, self.text()
