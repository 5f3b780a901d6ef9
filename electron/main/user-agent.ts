// A viewer's device and browser in plain words from its User-Agent (pure): "iPhone · Safari", "VLC", "curl".
// Enough for a person to recognise their own devices, not a full UA database.

interface Rule {
  readonly pattern: RegExp;
  readonly name: string;
}

/** Players and tools first: their UAs are short and name themselves. */
const tools: readonly Rule[] = [
  // VLC sends "VLC/…" over HTTP and "LibVLC/… (LIVE555 …)" over RTSP.
  { pattern: /(?:\b|Lib)VLC\//i, name: 'VLC' },
  // RTSP relays: go2rtc names itself; MediaMTX pulls with gortsplib.
  { pattern: /\bgo2rtc\b/i, name: 'go2rtc' },
  { pattern: /\bgortsplib\b/i, name: 'MediaMTX' },
  // ffmpeg says "Lavf/60.16.100" over HTTP and "Lavf60.16.100" over RTSP.
  { pattern: /\bLavf\/?\d/, name: 'ffmpeg' },
  { pattern: /\bcurl\//i, name: 'curl' },
  { pattern: /\bWget\//i, name: 'Wget' },
  { pattern: /\bGStreamer\b/i, name: 'GStreamer' },
  { pattern: /\bHomeAssistant\b|\bHA\/\d/i, name: 'Home Assistant' },
  { pattern: /\bpython-requests\//i, name: 'Python' },
  { pattern: /\bOctoPrint\b/i, name: 'OctoPrint' },
];

/** Order matters: Edge and Opera say "Chrome", Chrome says "Safari". */
const browsers: readonly Rule[] = [
  { pattern: /\bEdg(e|A|iOS)?\//, name: 'Edge' },
  { pattern: /\bOPR\//, name: 'Opera' },
  { pattern: /\bSamsungBrowser\//, name: 'Samsung Internet' },
  { pattern: /\b(Firefox|FxiOS)\//, name: 'Firefox' },
  { pattern: /\b(Chrome|CriOS|Chromium)\//, name: 'Chrome' },
  { pattern: /\bVersion\/[\d.]+.*\bSafari\//, name: 'Safari' },
];

const devices: readonly Rule[] = [
  { pattern: /\biPhone\b/, name: 'iPhone' },
  { pattern: /\biPad\b/, name: 'iPad' },
  { pattern: /\bAndroid\b.*\bMobile\b/, name: 'Android phone' },
  { pattern: /\bAndroid\b/, name: 'Android tablet' },
  { pattern: /\bWindows\b/, name: 'Windows PC' },
  { pattern: /\bCrOS\b/, name: 'Chromebook' },
  { pattern: /\bMacintosh\b|\bMac OS X\b/, name: 'Mac' },
  { pattern: /\bLinux\b/, name: 'Linux PC' },
];

const first = (rules: readonly Rule[], text: string): string | null =>
  rules.find((rule) => rule.pattern.test(text))?.name ?? null;

export function describeUserAgent(userAgent: string): string {
  const text = userAgent.trim();
  if (text === '') return 'Unknown app';
  const tool = first(tools, text);
  if (tool !== null) return tool;
  const browser = first(browsers, text);
  const device = first(devices, text);
  if (browser !== null && device !== null) return `${device} · ${browser}`;
  if (browser !== null) return browser;
  if (device !== null) return device;
  // Unknown: the product token ("Foo/1.2 …" → "Foo"), short enough for a table cell.
  const product = /^[A-Za-z][\w.-]{0,30}/.exec(text)?.[0];
  return product ?? 'Unknown app';
}
