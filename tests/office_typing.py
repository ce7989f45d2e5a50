"""Type into a workbook's cells as a person does, in LibreOffice Calc, then save it.

Run by a Python that has LibreOffice's `uno` module (the system's, python3-uno), not by the
project's: ``python3 tests/office_typing.py IN.xlsx OUT.xlsx '[["Sheet", "I3", "1/2"], …]'``.
Each text goes through Calc's own "enter what was typed" command (.uno:EnterString on the
selected cell), so the cell's number format decides, as at the keyboard, whether "1/2" stays
text or becomes a date. Prints one JSON line per cell: sheet, cell, what it holds and its
type (TEXT / VALUE) and number format.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    src, out, cells = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    profile = tempfile.mkdtemp(prefix="hbt-lo-profile-")
    pipe = f"hbt-typing-{os.getpid()}"
    office = subprocess.Popen(
        [os.environ.get("SOFFICE", "soffice"), "--headless", "--invisible", "--norestore",
         "--nologo", f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.25)
        else:
            print("LibreOffice did not start", file=sys.stderr)
            return 2
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)),
                                           "_blank", 0, (_prop("Hidden", True),))
        dispatcher = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", ctx)
        controller = doc.getCurrentController()
        for sheet, ref, text in cells:
            target = doc.Sheets.getByName(sheet)
            cell = target.getCellRangeByName(ref)
            controller.setActiveSheet(target)
            controller.select(cell)
            dispatcher.executeDispatch(controller.getFrame(), ".uno:EnterString", "", 0,
                                       (_prop("StringName", text),))
            print(json.dumps({"sheet": sheet, "cell": ref, "shown": cell.getString(),
                              "type": cell.getType().value,
                              "format": doc.NumberFormats.getByKey(
                                  cell.NumberFormat).FormatString}, ensure_ascii=False))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)),
                       (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        with contextlib.suppress(Exception):  # the bridge may go first; the file is written
            doc.close(True)
        return 0
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    sys.exit(main())
