// Formats RTSP responses (RFC 2326 §7) and names the status codes this server uses (§7.1.1).

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  453: 'Not Enough Bandwidth',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version not supported',
  551: 'Option not supported',
};

export const SERVER_NAME = 'LanCam';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/** One response; CSeq is echoed when the request had one (RFC 2326 §12.17 requires it). */
export function formatResponse(
  status: number,
  cseq: string | null,
  headers: HeaderList = [],
  body?: Buffer,
): Buffer {
  const lines = [`RTSP/1.0 ${status} ${STATUS_TEXT[status] ?? 'Error'}`];
  if (cseq !== null) lines.push(`CSeq: ${cseq}`);
  lines.push(`Server: ${SERVER_NAME}`, `Date: ${new Date().toUTCString()}`);
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (body && body.length > 0) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body && body.length > 0 ? Buffer.concat([head, body]) : head;
}
