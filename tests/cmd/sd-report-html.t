#!/bin/sh
# sd-report --format html: one self-contained page, the figures table and
# five inline SVG charts, rendered by headless Chromium into a screenshot
# that is not blank (kept in tests/out/report.png).
. "${SD_TOP:-.}/tests/lib.sh"
if ! command -v chromium >/dev/null 2>&1; then
	echo "1..0 # SKIP chromium not installed"
	exit 0
fi
export SD_NOW=2026-10-01T08:00:00-05:00
mkstore "$T/store" --name 'Mesa <Norte> & Sur'

# h MM-DDTHH:MM AGENT CMD...: CMD at that minute of 2026, Bogotá time
h() { _t=$1; shift; step "2026-$_t:00-05:00" "$@"; }

# Two months of a small desk: channels, categories, three levels, open
# tickets of several ages, a requester whose name looks like markup.
h 10-05T08:00 ana sd-new -t incident -s "Printer jams" -r "Ana <b>Paz</b>" \
	--email ana.paz@example.org -c hardware/printer -u high -i high
h 10-05T08:30 ana sd-assign 1 ana
h 10-05T10:00 ana sd-solve 1 -m "Roller cleaned."
h 10-06T09:00 ana sd-close 1 --rating 5
h 10-08T16:00 luis sd-new -t incident -s "VPN drops" -r "Luz Díaz" --email luz@example.org \
	-c network/vpn --channel email
h 10-09T09:00 luis sd-assign 2 luis
h 10-09T10:00 luis sd-escalate 2 -m "The concentrator drops sessions."
h 10-09T10:30 jorge sd-assign 2 jorge
h 10-13T12:00 jorge sd-solve 2 -m "Firmware updated."
h 10-20T14:00 luis sd-new -t request -s "ERP report" -r "Pedro Ruiz" --email pedro@example.org \
	-c software/erp --channel chat
h 10-28T10:00 carmen sd-new -t incident -s "Internet down" -r "Eva Luna" --email eva@example.org \
	-c network/internet -u high -i high --channel teams
h 10-28T10:10 ana sd-escalate 4 -m "No link on the router."
h 10-28T10:40 jorge sd-assign 4 jorge
h 10-28T11:00 jorge sd-escalate 4 -m "Fibre cut: the provider's."
h 10-28T16:00 telco sd-solve 4 -m "Fibre spliced."
h 11-03T09:00 ana sd-new -t incident -s "Laptop fan" -r "Eva Luna" --email eva@example.org \
	-c hardware/laptop --channel walk-in
h 11-03T11:00 ana sd-assign 5 ana
h 11-24T09:00 ana sd-new -t incident -s "Word crashes" -r "Juan Soto" --email juan@example.org \
	-c software/office --channel web
h 11-26T15:00 luis sd-new -t request -s "Second screen" -r "Juan Soto" --email juan@example.org \
	-c hardware/laptop --channel web
export SD_NOW=2026-11-27T10:00:00-05:00

expect 0 "--format html" sd-report --format html --by level
cp "$T/out" "$T/report.html"
is "$(cat "$T/err")" "" "nothing on stderr"
clean "store clean"
is "$(head -1 "$T/report.html")" "<!DOCTYPE html>" "an HTML document"
is "$(tail -1 "$T/report.html")" "</body></html>" "whole"

# Self-contained: nothing to fetch, nothing to run.
ok $(! grep -qi '<script' "$T/report.html"; echo $?) "no <script"
ok $(! grep -Eqi '<(link|img|iframe|object|embed)[ >]|@import|url\(|(src|href)=' "$T/report.html"; echo $?) \
	"no link, image, frame, import or url()"
is "$(grep -Eo 'https?://[^"]*' "$T/report.html" | sort -u)" "http://www.w3.org/2000/svg" \
	"the one URL is SVG's namespace"
is "$(grep -Eo '[a-z:]+="https?://' "$T/report.html" | sort -u)" 'xmlns="http://' \
	"and only as xmlns"
is "$(grep -o '<svg' "$T/report.html" | wc -l)" 5 "five <svg charts"
is "$(grep -o '<figcaption>[^<]*</figcaption>' "$T/report.html" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"Opened and solved per month|SLA met per level|Open tickets by age|Tickets by channel|Tickets by category|" \
	"the five charts: flow, SLA per level, backlog, channel, category"
like "$T/report.html" '<title>Mesa &lt;Norte&gt; &amp; Sur</title>' "the store's name, escaped"
sd-report --format html --by requester >"$T/requester.html"
ok $(! grep -q '<b>' "$T/requester.html"; echo $?) "a requester's name is no markup"
like "$T/requester.html" '>Ana &lt;b&gt;Paz&lt;/b&gt;<' "but text"

# The page's table is the report: the same cells as tsv; each SVG is
# well-formed XML; the bars of the channel and category charts count
# what --by channel and --by category count.
for by in level requester; do
	sd-report --format tsv --by $by >"$T/$by.tsv"
done
sd-report --format tsv --by channel >"$T/channel.tsv"
sd-report --format tsv --by category >"$T/category.tsv"
cat >"$T/page.py" <<'EOF'
import html.parser, re, sys
import xml.etree.ElementTree as ET

page = open(sys.argv[1], encoding="utf-8").read()
tsv = [l.split("\t") for l in open(sys.argv[2], encoding="utf-8").read().splitlines()]


class Table(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.cell, self.intable = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            # The figures' table; the SLA targets' has a class.
            self.intable = not dict(attrs).get("class")
        elif self.intable and tag == "tr":
            self.rows.append([])
        elif self.intable and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.intable = False
        elif self.intable and tag in ("td", "th"):
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


t = Table()
t.feed(page)
assert t.rows == tsv, "the table is not the tsv report:\n%r\n%r" % (t.rows, tsv)
svgs = re.findall(r"<svg .*?</svg>", page, re.S)
assert len(svgs) == 5, "%d svg" % len(svgs)
ns = "{http://www.w3.org/2000/svg}"
for s in svgs:
    ET.fromstring(s)
# The bar charts: a label, a bar, a count, per line.
for svg, name in ((svgs[3], sys.argv[3]), (svgs[4], sys.argv[4])):
    texts = [e.text for e in ET.fromstring(svg).iter(ns + "text")]
    bars = dict(zip(texts[0::2], texts[1::2]))
    want = {r[0]: r[1] for r in [l.split("\t") for l in open(name, encoding="utf-8").read().splitlines()][1:-1]}
    assert bars == want, "%s: %r, tsv %r" % (name, bars, want)
print("ok")
EOF
python3 "$T/page.py" "$T/report.html" "$T/level.tsv" "$T/channel.tsv" "$T/category.tsv" >"$T/py" 2>&1
ok $(grep -qx ok "$T/py"; echo $?) "--by level: the page's table is the tsv report, the SVG well-formed, the bars right"
grep -vx ok "$T/py" | sed 's/^/# /' >&2
python3 "$T/page.py" "$T/requester.html" "$T/requester.tsv" "$T/channel.tsv" "$T/category.tsv" >"$T/py" 2>&1
ok $(grep -qx ok "$T/py"; echo $?) "--by requester: the same, with markup in a key"
grep -vx ok "$T/py" | sed 's/^/# /' >&2
expect 0 "--format html with no ticket passing" sd-report --format html --since 2027-01-01
is "$(grep -o '<svg' "$T/out" | wc -l)" 5 "still five charts, empty"

# The period the figures cover, as --since and --until were given.
is "$(grep -o '<p class="period">[^<]*</p>' "$T/report.html")" \
	'<p class="period">Period: all time.</p>' "no --since, no --until: all time"
is "$(grep -o '<p class="period">[^<]*</p>' "$T/out")" \
	'<p class="period">Period: tickets created from 2027-01-01.</p>' "--since alone"
sd-report --format html --until 2026-11-01 >"$T/until.html"
is "$(grep -o '<p class="period">[^<]*</p>' "$T/until.html")" \
	'<p class="period">Period: tickets created before 2026-11-01.</p>' "--until alone"
sd-report --format html --since 2026-10-01 --until 2026-11-01T00:00:00-05:00 >"$T/both.html"
is "$(grep -o '<p class="period">[^<]*</p>' "$T/both.html")" \
	'<p class="period">Period: tickets created from 2026-10-01 to before 2026-11-01T00:00:00-05:00.</p>' \
	"both, as given"
# The targets of share/sla.ini: incident response 1bh, resolution 4bh 8bh
# 3bd 5bd; request 2bh, 8bh 2bd 5bd 10bd.
sed -n '/<table class="targets">/,/<\/table>/p' "$T/report.html" | grep '^<tr><td' >"$T/targets"
is "$(sed 's/<[^>]*>/|/g; s/||*/|/g' "$T/targets" | tr '\n' ' ')" \
	"|incident|1bh|4bh|8bh|3bd|5bd| |request|2bh|8bh|2bd|5bd|10bd| " "the SLA targets, by type and priority"

# The SLA chart is scaled 0-100 %, not to its highest bar: level 1 alone
# has response 1 met of 5 (20.0 %) and resolution 1 of 4 (25.0 %); the
# plot is 170 px high (260 - 60 - 30), so the bars are 34.0 and 42.5 px,
# and the axis says 100%.  Scaled to the highest, the first would fill it.
sd-report --format tsv --level 1 | cut -f6,7 | tail -1 >"$T/l1"
is "$(cat "$T/l1")" "$(printf '20.0\t25.0')" "level 1: 20.0 % and 25.0 % met"
sd-report --format html --level 1 >"$T/l1.html"
sed -n '/SLA met per level/,/<\/svg>/p' "$T/l1.html" >"$T/sla.svg"
is "$(grep -o 'height="[0-9.]*" fill="#[0-9a-f]*"><title>[0-9.]*<' "$T/sla.svg" | tr '\n' ' ')" \
	'height="34.0" fill="#3b6ea5"><title>20.0< height="42.5" fill="#e08a2c"><title>25.0< ' \
	"the bars: 20 % and 25 % of the full height"
like "$T/sla.svg" '>100%</text>' "the axis goes to 100%"
sd-report --format html --by level >"$T/all.html"
sed -n '/SLA met per level/,/<\/svg>/p' "$T/all.html" >"$T/sla.svg"
is "$(grep -o 'height="[0-9.]*" fill="#[0-9a-f]*"><title>100.0<' "$T/sla.svg" | sed 's/ fill.*//' |
	sort | uniq -c | tr -s ' ')" ' 2 height="170.0"' \
	"the bars of 100 % (level 2's resolution, level 3's response) are the full height"

# Rendered by headless Chromium: a 1280x2000 screenshot, not blank.
out=${SD_TOP:-.}/tests/out
mkdir -p "$out"

# chrome ARGS...: headless Chromium with a profile of the test's own
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/chrome" "$@" 2>"$T/chrome.log" </dev/null
}
# width FILE.html: the page's scrollWidth and the viewport's clientWidth
# on a 1280x800 screen, as a script added to a copy of the page writes
# them into the DOM (the page itself has none)
width() {
	sed 's|</body></html>|<script>document.body.setAttribute("data-width", document.documentElement.scrollWidth + " " + document.documentElement.clientWidth)</script></body></html>|' \
		"$1" >"$T/width.html"
	chrome --window-size=1280,800 --dump-dom "file://$T/width.html" |
		sed -n 's/.*data-width="\([0-9]*\) \([0-9]*\)".*/\1 \2/p'
}
# A page fits a 1280-pixel screen when nothing scrolls sideways: its
# width is no more than the viewport's (1280 less a scroll bar), in
# English and in Spanish, with the longest keys of the store.
for by in level requester,channel category,assignee; do
	sd-report --format html --by $by >"$T/w.html"
	LC_ALL=es_CO.UTF-8 LANGUAGE=es sd-report --format html --by $by >"$T/w-es.html"
	for page in w w-es; do
		read -r sw cw <<-EOF
		$(width "$T/$page.html")
		EOF
		ok $([ -n "$sw" ] && [ "$sw" -le "$cw" ] && [ "$sw" -le 1280 ]; echo $?) \
			"--by $by ($page): the page fits 1280 px (scrollWidth ${sw:-?} <= ${cw:-?})"
	done
done
# The check can fail: a page 1400 px wide does not fit.
sed 's|<body>|<body><div style="width:1400px">x</div>|' "$T/report.html" >"$T/wide.html"
read -r sw cw <<-EOF
$(width "$T/wide.html")
EOF
ok $([ "${sw:-0}" -gt "${cw:-0}" ]; echo $?) "a 1400-pixel page is seen not to fit (${sw:-?} > ${cw:-?})"
rm -f "$out/report-1280x800.png"
chrome --window-size=1280,800 --screenshot="$out/report-1280x800.png" "file://$T/both.html" >/dev/null
ok $([ -s "$out/report-1280x800.png" ]; echo $?) "a 1280x800 screenshot"
rm -f "$out/report.png"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$T/chrome" --window-size=1280,2000 --screenshot="$out/report.png" \
	"file://$T/report.html" >"$T/chrome.log" 2>&1 </dev/null
ok $([ -s "$out/report.png" ]; echo $?) "chromium wrote a screenshot"
[ -s "$out/report.png" ] || sed 's/^/# chromium: /' "$T/chrome.log" | tail -5 >&2
# png.py FILE: width, height, distinct colours, non-white per mille, and
# whether the charts' two bar colours (#3b6ea5, #e08a2c) are there; the
# PNG decoded with zlib alone.
cat >"$T/png.py" <<'EOF'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = ihdr
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG %r" % (ihdr,)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
lo, hi = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
prev = bytes(stride)
colours, nonwhite = set(), 0
for y in range(h):
    f = raw[y * (stride + 1)]
    cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    if f == 2:
        # Up: bytewise addition modulo 256, all at once on big integers.
        x, p = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
        cur = (((x & lo) + (p & lo)) ^ ((x ^ p) & hi)).to_bytes(stride, "big")
    elif f:
        line = bytearray(cur)
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        cur = bytes(line)
    prev = cur
    px = [cur[i:i + 3] for i in range(0, stride, bpp)]
    colours.update(px)
    nonwhite += w - px.count(b"\xff\xff\xff")
blue, orange = bytes((0x3b, 0x6e, 0xa5)), bytes((0xe0, 0x8a, 0x2c))
print(w, h, len(colours), nonwhite * 1000 // (w * h), int(blue in colours), int(orange in colours))
EOF
python3 "$T/png.py" "$out/report-1280x800.png" >"$T/png" 2>&1 || sed 's/^/# /' "$T/png" >&2
read -r width height ncolours permille blue orange <"$T/png"
is "${width}x${height}" "1280x800" "the 1280x800 screenshot's size"
ok $([ "${permille:-0}" -ge 20 ]; echo $?) "1280x800: not blank (${permille:-0} per mille)"
python3 "$T/png.py" "$out/report.png" >"$T/png" 2>&1 || sed 's/^/# /' "$T/png" >&2
read -r width height ncolours permille blue orange <"$T/png"
is "${width}x${height}" "1280x2000" "the window's size"
ok $([ "${ncolours:-0}" -gt 50 ]; echo $?) "more than 50 distinct colours (${ncolours:-0}): text and charts drawn"
ok $([ "${permille:-0}" -ge 20 ]; echo $?) "at least 2 % of the pixels not white (${permille:-0} per mille)"
is "${blue:-0}${orange:-0}" "11" "the bars' blue and orange are on the screen: the SVG rendered"
done_testing
