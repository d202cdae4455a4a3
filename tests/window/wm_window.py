#!/usr/bin/python3
"""The X window whose title (_NET_WM_NAME, else WM_NAME) is ARGV[2]:
  wm_window.py hints TITLE   prints {"decorated": bool} from _MOTIF_WM_HINTS (what GTK sets for
                             an undecorated window; no hint: decorated)
  wm_window.py close TITLE   asks it to close (WM_PROTOCOLS / WM_DELETE_WINDOW, as a close
                             button or Alt+F4 does)
Exit 1 when no such window."""
import json
import sys

from Xlib import X, display, protocol

command, title = sys.argv[1], sys.argv[2]
d = display.Display()
net_name = d.intern_atom("_NET_WM_NAME")
utf8 = d.intern_atom("UTF8_STRING")
motif = d.intern_atom("_MOTIF_WM_HINTS")
wm_protocols = d.intern_atom("WM_PROTOCOLS")
wm_delete = d.intern_atom("WM_DELETE_WINDOW")


def name_of(win):
    prop = win.get_full_property(net_name, utf8)
    if prop is not None:
        value = prop.value
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)
    return win.get_wm_name()


def find(win):
    try:
        if name_of(win) == title and wm_delete in (win.get_wm_protocols() or []):
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
if command == "hints":
    prop = target.get_full_property(motif, X.AnyPropertyType)
    values = list(prop.value) if prop is not None else []
    # flags, functions, decorations, …: bit 1 of flags says the decorations field counts.
    decorated = not (len(values) >= 3 and values[0] & 2 and values[2] == 0)
    print(json.dumps({"decorated": decorated}))
elif command == "close":
    event = protocol.event.ClientMessage(
        window=target, client_type=wm_protocols, data=(32, [wm_delete, X.CurrentTime, 0, 0, 0])
    )
    target.send_event(event, event_mask=X.NoEventMask)
    d.sync()
    print(f"close requested for window {target.id:#x}")
else:
    sys.exit(f"unknown command {command}")
