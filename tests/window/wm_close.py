#!/usr/bin/python3
"""Asks the X window titled ARGV[1] to close, as a window manager's close button or Alt+F4 does:
a WM_PROTOCOLS / WM_DELETE_WINDOW client message. Exit 0 when sent, 1 when no such window."""
import sys

from Xlib import X, display, protocol

title = sys.argv[1]
d = display.Display()
wm_protocols = d.intern_atom("WM_PROTOCOLS")
wm_delete = d.intern_atom("WM_DELETE_WINDOW")


def find(win):
    try:
        name = win.get_wm_name()
        if name == title and wm_delete in (win.get_wm_protocols() or []):
            return win
        for child in win.query_tree().children:
            found = find(child)
            if found:
                return found
    except Exception:  # windows may vanish while we walk the tree
        return None
    return None


target = find(d.screen().root)
if target is None:
    print(f"no window titled {title!r}", file=sys.stderr)
    sys.exit(1)
event = protocol.event.ClientMessage(
    window=target, client_type=wm_protocols, data=(32, [wm_delete, X.CurrentTime, 0, 0, 0])
)
target.send_event(event, event_mask=X.NoEventMask)
d.sync()
print(f"close requested for window {target.id:#x}")
