#!/usr/bin/env python3
"""Wireshark as judge of an interop capture (tests/interop/README.md).

  judge.py --pcap F --keylog F --port N --ours client|server|both
           [--peer NAME] [--expect ENDINGS]

tshark decodes the capture (TLS with the key log; SSTP behind the HTTP
SSTP_DUPLEX_POST) and the judge fails the capture when:
  - a frame sent by our side carrying SSTP or PPP (LCP, PAP, CHAP, EAP,
    IPCP, IPV6CP...) is malformed or has an expert info of severity
    error;
  - a message our side sent breaks the SSTP control sequence (SEQUENCE
    below), or our side left out an answer the sequence owes;
  - a TCP connection with SSTP ends otherwise than --expect says;
  - no SSTP was decoded at all: a judge that saw nothing must not pass.
What the peer got wrong is printed as "peer fault (NAME): ..." and does
not fail the capture: the peer is not what is under test.  With --ours
both, every fault is ours.

--expect: one ending per TCP connection that carried SSTP, in order, or
one ending for all of them; "a|b" accepts either.  Endings:
  client-disconnect, server-disconnect  Call Disconnect from that side
                                        (and its Ack, MS-SSTP 3.1.1.1)
  client-abort, server-abort            Call Abort from that side
  cut    TCP closed with no SSTP ending (e.g. the hello timer, 3.1.2.3)
  open   still open when the capture stopped
Default: any ending.

Exit status 0 pass, 1 fail, 2 could not judge (tshark missing or
failing).  The last line is the verdict, for the case's PASS/FAIL line.
"""
import argparse
import collections
import shutil
import subprocess
import sys

# The SSTP control messages, MS-SSTP 2.2.9-2.2.17 (wire value: name).
MSG = {
    1: "CALL_CONNECT_REQUEST",
    2: "CALL_CONNECT_ACK",
    3: "CALL_CONNECT_NAK",
    4: "CALL_CONNECTED",
    5: "CALL_ABORT",
    6: "CALL_DISCONNECT",
    7: "CALL_DISCONNECT_ACK",
    8: "ECHO_REQUEST",
    9: "ECHO_RESPONSE",
}

LIVE = ("start", "request_sent", "naked", "acked", "connected")
AFTER_ACK = ("acked", "connected")

# The SSTP control-message sequence MS-SSTP prescribes, as data: (states,
# message, sender, next state); next None stays.  A message no row allows
# in the current state is a fault of its sender (and changes nothing).
# The side in an ending state's name (disc_client) started that ending;
# the far end may still send what was in flight before it saw it.
SEQUENCE = (
    # 3.2.1.1.1 (client) and 3.3.1.1.1 (server), call establishment:
    # after the HTTP 200 the client sends Call Connect Request; the
    # server answers Ack (2.2.10) or, for an unacceptable request, Nak
    # (2.2.12, 3.1.5.1), after which the client may send a new Request;
    # after inner authentication (3.2.7.1) the client sends Call
    # Connected (2.2.11).
    (("start",), "CALL_CONNECT_REQUEST", "client", "request_sent"),
    (("request_sent",), "CALL_CONNECT_ACK", "server", "acked"),
    (("request_sent",), "CALL_CONNECT_NAK", "server", "naked"),
    (("naked",), "CALL_CONNECT_REQUEST", "client", "request_sent"),
    (("acked",), "CALL_CONNECTED", "client", "connected"),
    # 3.1.2.3 Hello timer, 2.2.16-2.2.17: Echo Request and Response either
    # way once the call is acked (each Response answers a Request: below).
    (AFTER_ACK, "ECHO_REQUEST", "any", None),
    (AFTER_ACK, "ECHO_RESPONSE", "any", None),
    # 3.1.1.1 and 3.1.2.2, graceful end (2.2.14-2.2.15): either side sends
    # Call Disconnect once the request was answered; the far end answers
    # Call Disconnect Ack; both sending Call Disconnect (a collision) is
    # answered by both.
    (AFTER_ACK + ("naked",), "CALL_DISCONNECT", "client", "disc_client"),
    (AFTER_ACK, "CALL_DISCONNECT", "server", "disc_server"),
    (("disc_client",), "CALL_DISCONNECT_ACK", "server", "disconnected"),
    (("disc_server",), "CALL_DISCONNECT_ACK", "client", "disconnected"),
    (("disc_client",), "CALL_DISCONNECT", "server", "disc_both"),
    (("disc_server",), "CALL_DISCONNECT", "client", "disc_both"),
    (("disc_both",), "CALL_DISCONNECT_ACK", "any", None),
    (("disc_client",), "ECHO_REQUEST", "server", None),
    (("disc_client",), "ECHO_RESPONSE", "server", None),
    (("disc_server",), "ECHO_REQUEST", "client", None),
    (("disc_server",), "ECHO_RESPONSE", "client", None),
    # 3.1.5.1 and 3.1.2.1, abnormal end (2.2.13): either side, in any
    # state before an ending, sends Call Abort; the far end answers with
    # its own Call Abort and then ignores everything.
    (LIVE, "CALL_ABORT", "client", "abort_client"),
    (LIVE, "CALL_ABORT", "server", "abort_server"),
    (("abort_client",), "CALL_ABORT", "server", "aborted"),
    (("abort_server",), "CALL_ABORT", "client", "aborted"),
    (("abort_client",), "ECHO_REQUEST", "server", None),
    (("abort_client",), "ECHO_RESPONSE", "server", None),
    (("abort_server",), "ECHO_REQUEST", "client", None),
    (("abort_server",), "ECHO_RESPONSE", "client", None),
    # An Abort during a Disconnect (3.1.5.1: any invalid message, any
    # state) turns it into an abort; a Disconnect in flight when the Abort
    # came is ignored by its receiver (3.1.2.1).
    (("disc_client", "disc_server", "disc_both"), "CALL_ABORT", "client",
     "abort_client"),
    (("disc_client", "disc_server", "disc_both"), "CALL_ABORT", "server",
     "abort_server"),
    (("abort_client",), "CALL_DISCONNECT", "server", None),
    (("abort_server",), "CALL_DISCONNECT", "client", None),
)

# The states that begin an ending: whoever moved there ended the call.
STARTS = ("disc_client", "disc_server", "abort_client", "abort_server")

# The answers a final state still owed, by state: (who owes it, what).
OWED = {
    "disc_client": ("server", "Call Disconnect Ack (MS-SSTP 3.1.1.1)"),
    "disc_server": ("client", "Call Disconnect Ack (MS-SSTP 3.1.1.1)"),
    "abort_client": ("server", "its answering Call Abort (MS-SSTP 3.1.2.1)"),
    "abort_server": ("client", "its answering Call Abort (MS-SSTP 3.1.2.1)"),
}

# Frames judged for malformed packets and expert errors: those carrying
# any of these (frame.protocols names).
JUDGED_PROTOS = {"sstp", "ppp", "lcp", "pap", "chap", "eap", "ipcp", "ipv6cp"}
SEVERITY_ERROR = 0x800000  # _ws.expert.severity "Error"
# Seconds an Echo Response may take: ours answer within a loop turn,
# milliseconds, but a sanitizer build on a loaded machine stalls now and
# then; an Echo Request left for 3 s while the call goes on is unanswered.
ECHO_GRACE = 3.0

AGG = "\x1f"
FIELDS = (
    "frame.number",
    "frame.time_relative",
    "tcp.stream",
    "ip.src",
    "ipv6.src",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags.fin",
    "tcp.flags.reset",
    "http.request.method",
    "http.response.code",
    "sstp.messagetype",
    "sstp.iscontrol",
    "ppp.protocol",
    "_ws.malformed",
    "_ws.expert.severity",
    "_ws.expert.message",
    "frame.protocols",
    "_ws.col.Protocol",
    "_ws.col.Info",
)


def other(side):
    return "server" if side == "client" else "client"


def tshark_frames(args):
    """One dict per frame, each field a list of its occurrences."""
    cmd = ["tshark", "-n", "-r", args.pcap,
           "-o", "tls.keylog_file:" + args.keylog,
           "-d", "tcp.port==%d,tls" % args.port,
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=" + AGG, "-E", "quote=n"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    if p.returncode != 0:
        err = [l for l in p.stderr.splitlines() if "Running as user" not in l]
        raise RuntimeError("tshark exit %d: %s" % (p.returncode,
                                                   " ".join(err)[:300]))
    frames = []
    for line in p.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        frames.append({f: (c.split(AGG) if c else [])
                       for f, c in zip(FIELDS, cols)})
    return frames


def first(fr, field, default=""):
    v = fr[field]
    return v[0] if v else default


class Stream:
    def __init__(self, num):
        self.num = num
        self.client = "?"
        self.msgs = []  # (frame, time, sender, name)
        self.http = []
        self.closed = False


class Judge:
    def __init__(self, args):
        self.args = args
        self.ours = args.ours
        self.peer = args.peer
        self.faults = []  # our side's: fail the capture
        self.peer_faults = []  # printed, do not fail it
        self.failures = []  # not a side's: the ending, nothing decoded

    def fault(self, side, text):
        if self.ours == "both" or side == self.ours:
            self.faults.append(text)
        else:
            self.peer_faults.append(text)

    def frame_problems(self, frames):
        for fr in frames:
            protos = set(first(fr, "frame.protocols").split(":"))
            if not protos & JUDGED_PROTOS:
                continue
            sev = [int(s) for s in fr["_ws.expert.severity"] if s.isdigit()]
            bad = bool(fr["_ws.malformed"]) or any(s >= SEVERITY_ERROR
                                                   for s in sev)
            if not bad:
                continue
            side = self.sender(fr)
            # What is wrong: the malformed layer ("[Malformed Packet: PPP
            # PAP]") and the expert errors; then the frame's summary.
            what = [m for m in fr["_ws.malformed"] if m.startswith("[")]
            what += [m for m, s in zip(fr["_ws.expert.message"], sev)
                     if s >= SEVERITY_ERROR]
            self.fault(side, "frame %s from the %s: %s (frame: %s %s)" % (
                first(fr, "frame.number"), side, "; ".join(what),
                first(fr, "_ws.col.Protocol"),
                first(fr, "_ws.col.Info").strip()))

    def sender(self, fr):
        if first(fr, "tcp.srcport") == str(self.args.port):
            return "server"
        return "client"

    def streams(self, frames):
        out = collections.OrderedDict()
        for fr in frames:
            if not fr["tcp.stream"]:
                continue
            n = int(fr["tcp.stream"][0])
            st = out.setdefault(n, Stream(n))
            side = self.sender(fr)
            if side == "client" and st.client == "?":
                st.client = "%s:%s" % (first(fr, "ip.src") or
                                       "[%s]" % first(fr, "ipv6.src"),
                                       first(fr, "tcp.srcport"))
            if "1" in fr["tcp.flags.fin"] + fr["tcp.flags.reset"]:
                st.closed = True
            st.http += fr["http.request.method"] + fr["http.response.code"]
            for t in fr["sstp.messagetype"]:
                name = MSG.get(int(t, 16), "type %s" % t)
                st.msgs.append((first(fr, "frame.number"),
                                float(first(fr, "frame.time_relative", "0")),
                                side, name))
        return out

    def sequence(self, st):
        """Runs SEQUENCE over one connection; its ending."""
        state = "start"
        starter = None
        end_time = st.msgs[-1][1]
        echoes = {"client": [], "server": []}  # Requests' times, unanswered
        for frame, t, side, name in st.msgs:
            if name == "ECHO_RESPONSE":
                if not echoes[other(side)]:
                    self.fault(side, "stream %d frame %s: the %s sent an "
                               "Echo Response nobody asked for" %
                               (st.num, frame, side))
                    continue
                echoes[other(side)].pop(0)
            for states, msg, who, nxt in SEQUENCE:
                if state in states and msg == name and who in ("any", side):
                    break
            else:
                self.fault(side, "stream %d frame %s: the %s sent %s in "
                           "state %s, which MS-SSTP does not allow" %
                           (st.num, frame, side, name, state))
                continue
            if name == "ECHO_REQUEST":
                echoes[side].append(t)
            if nxt in STARTS:
                if starter is None:
                    end_time = t
                starter = side
            state = nxt or state
        # MS-SSTP 3.1.2.3: an Echo Request is answered; one still open when
        # the call went on for ECHO_GRACE more seconds was left unanswered.
        for side, times in echoes.items():
            late = [x for x in times if end_time - x >= ECHO_GRACE]
            if late:
                self.fault(other(side), "stream %d: the %s left %d Echo "
                           "Request%s from the %s unanswered (MS-SSTP "
                           "3.1.2.3)" % (st.num, other(side), len(late),
                                         "" if len(late) == 1 else "s",
                                         side))
        if state in OWED:
            who, what = OWED[state]
            self.fault(who, "stream %d: the %s never sent %s" %
                       (st.num, who, what))
        if state.startswith("disc") or state == "disconnected":
            return "%s-disconnect" % starter
        if state.startswith("abort") or state == "aborted":
            return "%s-abort" % starter
        return "cut" if st.closed else "open"

    def silent_client(self, st):
        """A connection the server said 200 on and the client then sent
        nothing SSTP over: 3.2.1.1.1 says it sends Call Connect Request."""
        if "200" in st.http and st.closed:
            self.fault("client", "stream %d: the client sent no Call Connect "
                       "Request after the HTTP 200 (MS-SSTP 3.2.1.1.1)" %
                       st.num)
            return "no SSTP after the HTTP 200"
        if st.http:
            return "no SSTP: HTTP " + " ".join(st.http)
        return "no SSTP: no HTTP decoded (TLS not completed, or no keys)"

    @staticmethod
    def started(st):
        return any(side == "client" and name == "CALL_CONNECT_REQUEST"
                   for _, _, side, name in st.msgs)

    def run(self):
        frames = tshark_frames(self.args)
        self.frame_problems(frames)
        streams = self.streams(frames)
        # A call starts with the client's Call Connect Request.  A
        # connection whose client sent none after the HTTP 200 (sstpc's
        # stall, tests/interop/README.md) is the peer's fault, retried by
        # the harness: the endings the case expects are those of the
        # calls that started.
        sstp = [s for s in streams.values() if s.msgs and self.started(s)]
        nctl = sum(len(s.msgs) for s in sstp)
        nsstp = sum(len(fr["sstp.iscontrol"]) for fr in frames)
        nppp = sum(len(fr["ppp.protocol"]) for fr in frames)
        expect = self.args.expect.split()
        if len(expect) > 1 and len(expect) != len(sstp):
            self.failures.append("%d connections carried SSTP, %d endings "
                                 "expected (--expect)" %
                                 (len(sstp), len(expect)))
        for st in streams.values():
            if not st.msgs:
                print("stream %d from %s: %s" % (st.num, st.client,
                                                 self.silent_client(st)))
                continue
            ending = self.sequence(st)
            print("stream %d from %s: %s -> %s" % (
                st.num, st.client, compact(["%s:%s" % (side[0], name)
                                            for _, _, side, name in st.msgs]),
                ending))
            if st not in sstp:
                (self.faults if self.args.ours in ("client", "both")
                 else self.peer_faults).append(
                    "stream %d: the client sent no Call Connect Request "
                    "after the HTTP 200; ended %s" % (st.num, ending))
                continue
            i = sstp.index(st)
            want = expect[0] if len(expect) == 1 else \
                expect[i] if i < len(expect) else None
            if want and ending not in want.split("|"):
                self.failures.append("stream %d ended %s, the case expects "
                                     "%s" % (st.num, ending, want))
        if nsstp == 0:
            self.failures.append("no SSTP decoded (wrong port, no TLS keys "
                                 "in %s, or not SSTP)" % self.args.keylog)
        for p in self.peer_faults:
            print("peer fault (%s): %s" % (self.peer, p))
        for f in self.faults:
            print("FAULT (our side, %s): %s" % (self.ours, f))
        for f in self.failures:
            print("FAIL: %s" % f)
        summary = "%d SSTP msgs (%d control) in %d connection%s, %d PPP" % (
            nsstp, nctl, len(sstp), "" if len(sstp) == 1 else "s", nppp)
        pf = ""
        if self.peer_faults:
            pf = ", %d peer fault%s (%s)" % (
                len(self.peer_faults),
                "" if len(self.peer_faults) == 1 else "s", self.peer)
        bad = self.faults + self.failures
        if bad:
            print("judge FAIL: %s (%d fault%s; %s%s)" % (
                bad[0], len(bad), "" if len(bad) == 1 else "s", summary, pf))
            return 1
        side = "both sides" if self.ours == "both" else \
            "our side (%s)" % self.ours
        print("judged: %s, %s clean%s" % (summary, side, pf))
        return 0


def compact(tokens):
    """Runs of a repeated pair or message, written once with a count."""
    out, i = [], 0
    while i < len(tokens):
        for width in (2, 1):
            unit = tokens[i:i + width]
            n = 1
            while len(unit) == width and \
                    tokens[i + n * width:i + (n + 1) * width] == unit:
                n += 1
            if n > 2 or (n == 2 and width == 1):
                out.append("(%s) x%d" % (" ".join(unit), n) if width == 2
                           else "%s x%d" % (unit[0], n))
                i += n * width
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--keylog", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ours", choices=("client", "server", "both"),
                    required=True)
    ap.add_argument("--peer", default="peer")
    ap.add_argument("--expect", default="")
    args = ap.parse_args()
    if shutil.which("tshark") is None:
        print("not judged: tshark not installed")
        return 2
    try:
        return Judge(args).run()
    except (RuntimeError, OSError) as e:
        print("not judged: %s" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
