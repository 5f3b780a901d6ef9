// QR code of the preferred share URL, rendered as an SVG data URL (CSP allows img-src data:).
import { toString as qrToString } from 'qrcode';

export async function qrDataUrl(text: string): Promise<string> {
  const svg = await qrToString(text, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
    // Always dark on white: phone scanners fail on inverted codes, even in dark mode.
    color: { dark: '#000000', light: '#ffffff' },
  });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
