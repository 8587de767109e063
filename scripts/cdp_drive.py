#!/usr/bin/env python3
"""Drives headless Chromium through the DevTools protocol (over --remote-debugging-pipe) for the
browser tests: opens pages, fills and submits forms as a person would, and reports each page's DOM
and every console or log message.

    python3 scripts/cdp_drive.py CHROMIUM < steps.json > result.json

Steps, in order:
    {"open": URL}                        load a page and wait for it
    {"fill": CSS, "value": TEXT}         set a form field (input, select or textarea)
    {"submit": CSS}                      submit that form as its button would, and wait for the next page
    {"dom": NAME}                        keep the page's DOM as NAME
The result: {"doms": {NAME: HTML}, "urls": [...], "messages": [...]}; a failed step exits 1 with the
reason on standard error.
"""
import json
import os
import subprocess
import sys
import tempfile


class Browser:
    def __init__(self, executable):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="cdp-")

        def wire():
            # The browser reads commands on fd 3 and writes answers on fd 4. The pipes may already sit
            # on 3 to 6, so each end is copied away first, then into place, inheritable.
            read_end, write_end = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + self.profile, "--no-first-run", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(os.environ.get("CDP_BROWSER_LOG", os.devnull), "w"), close_fds=False, preexec_fn=wire)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.messages = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self.read()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self.note(message)
        return message

    def note(self, event):
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.messages.append(f"console.{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            self.messages.append("exception: " + params.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            self.messages.append(f"log {entry.get('level')}: {entry.get('text')} {entry.get('url', '')}".strip())
        else:
            self.events.append(event)

    def wait_for(self, method):
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == method:
                    del self.events[index]
                    return event
            self.read()

    def start(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable")
        self.events.clear()

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def close(self):
        self.process.kill()
        self.process.wait()


def main():
    steps = json.load(sys.stdin)
    browser = Browser(sys.argv[1])
    result = {"doms": {}, "urls": []}
    try:
        browser.start()
        for step in steps:
            if "open" in step:
                browser.events.clear()
                browser.send("Page.navigate", {"url": step["open"]})
                browser.wait_for("Page.loadEventFired")
            elif "fill" in step:
                found = browser.evaluate(
                    f"(() => {{ const e = document.querySelector({json.dumps(step['fill'])}); if (!e) return false;"
                    f" e.value = {json.dumps(step['value'])}; return true; }})()")
                if not found:
                    raise RuntimeError(f"no field {step['fill']}")
            elif "submit" in step:
                browser.events.clear()
                found = browser.evaluate(
                    f"(() => {{ const f = document.querySelector({json.dumps(step['submit'])}); if (!f) return false;"
                    f" f.requestSubmit(); return true; }})()")
                if not found:
                    raise RuntimeError(f"no form {step['submit']}")
                browser.wait_for("Page.loadEventFired")
            elif "dom" in step:
                result["doms"][step["dom"]] = browser.evaluate("document.documentElement.outerHTML")
            result["urls"].append(browser.evaluate("location.href"))
        # Messages logged late (after the last load) are read too.
        browser.evaluate("1")
    except Exception as error:  # one line for the test to show
        print(f"cdp_drive: {error}", file=sys.stderr)
        browser.close()
        sys.exit(1)
    browser.close()
    result["messages"] = browser.messages
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
