// @ts-check
// Viewer page logic: shows the camera through the acknowledged frame channel (a WebSocket: the server sends the
// newest frame once the page has drawn the previous one, so a slow link shows fresh frames, not a backlog),
// falls back to the multipart <img> stream and then to snapshot polling, drops every stream whenever the page is
// hidden or unloaded, shows how far behind live the picture is, and a clear offline state. With several sources it
// shows the one its address names (/ or /cam/N/) and lets the viewer switch, or see all (viewer-sources.js).

/* global createSourcesView -- defined by viewer-sources.js, loaded before this script */

const STATUS_POLL_MS = 2000;
/** No visible change this long while the source is live means the stream stalled (or never started). */
const STALL_MS = 8000;
/** Stream attempts that fail in a row before falling back to snapshot polling. */
const STREAM_FAILURES_BEFORE_POLLING = 3;
const SNAPSHOT_POLL_MS = 500;
/** While polling, how often the stream is tried again. */
const STREAM_RETRY_WHILE_POLLING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
/** Channel attempts that fail before opening, in a row, before the page uses the multipart stream instead. */
const CHANNEL_FAILURES_BEFORE_MULTIPART = 2;
/** Clock-offset probes: one at connect, then this often (the broadcaster's clock may differ from ours). */
const CLOCK_PING_MS = 10_000;
/** How often the "behind live" readout may change: often enough to follow, rarely enough to read. */
const BEHIND_UPDATE_MS = 500;
/** Must match server/ws/frame-message.ts. */
const FRAME_HEADER_BYTES = 24;
const FRAME_LAYOUT_VERSION = 1;
const FRAME_KIND_JPEG = 1;
const FRAME_KIND_H264 = 2;
const FLAG_KEYFRAME = 2;
/** The viewer's own choice of the plain MJPEG stream, remembered on this device. */
const COMPATIBILITY_STORAGE_KEY = 'lancam-compatibility-mode';
/** The server's lockout lasts 5 minutes. */
const LOCKOUT_RETRY_MS = 5 * 60_000;
/** A source that is not served (removed) may come back; look again this often. */
const SOURCE_GONE_RETRY_MS = 5000;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`missing #${id}`);
  return element;
}

const img = byId('stream', HTMLImageElement);
const stage = byId('stage', HTMLElement);
const offline = byId('offline', HTMLElement);
const offlineDetail = byId('offline-detail', HTMLElement);
const stateText = byId('state', HTMLElement);
const behindText = byId('behind', HTMLElement);
const fullscreenButton = byId('fullscreen', HTMLButtonElement);
const saveLink = byId('save', HTMLAnchorElement);
const lastFrame = byId('last-frame', HTMLCanvasElement);
const controls = byId('controls', HTMLElement);
const videoCanvas = byId('video', HTMLCanvasElement);
/** H.264 plays here instead of the canvas where the page has MSE but no WebCodecs (plain http on a LAN). */
const mseVideo = byId('mse-video', HTMLVideoElement);
const compatibilityButton = byId('compatibility', HTMLButtonElement);
const sourcesNav = byId('sources', HTMLElement);
const grid = byId('grid', HTMLElement);
/** Touch screens: the controls sit over the picture and hide themselves after a while (a tap brings them back). */
const isTouch = matchMedia('(pointer: coarse)').matches;
const CONTROLS_HIDE_MS = 3000;

const key = new URLSearchParams(location.search).get('key');
const pageSource = /^\/cam\/([1-9]\d?)\/?$/.exec(location.pathname);
/** The source shown: /cam/N/ is source N, / is source 1. */
let sourceId = pageSource ? Number(pageSource[1]) : 1;
/** Where the shown source's outputs live: today's paths on /, /cam/N/… once the address names a source. */
let sourceBase = pageSource ? `/cam/${sourceId}` : '';
/** Tags this page's stream, so /status.json tells whether the server still has it (Chromium fires no event
 * when a multipart <img> stream ends). */
const clientId = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) =>
  byte.toString(16).padStart(2, '0'),
).join('');

/**
 * Same-origin URL carrying the page's access key, so the stream and snapshot work without a prompt.
 * @param {string} path
 * @param {Record<string, string>} [params]
 */
function withKey(path, params = {}) {
  const query = new URLSearchParams(params);
  if (key !== null) query.set('key', key);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** @typedef {'channel' | 'stream' | 'polling' | 'offline' | 'hidden' | 'grid'} Mode */

/** @type {Mode} */
let mode = 'hidden';
let attempt = 0;
let streamFailures = 0;
let offlineFailures = 0;
let connectedAtMs = 0;
let lastChangeAtMs = 0;
let lastSignature = '';
/** @type {string | null} */
let snapshotUrl = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let retryTimer;
/** @type {ReturnType<typeof setInterval> | undefined} */
let statusTimer;
/** @type {ReturnType<typeof setInterval> | undefined} */
let pollTimer;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let streamRetryTimer;
/** @type {WebSocket | null} */
let channel = null;
let channelFailures = 0;
/** Once the channel failed this page uses the multipart stream until the next full retry. */
let isChannelBroken = false;
/** Broadcaster clock − our clock, from the ping with the shortest round trip so far. */
let clockOffsetMs = 0;
let bestPingRoundTripMs = Infinity;
/** @type {ReturnType<typeof setInterval> | undefined} */
let pingTimer;
let lastBehindUpdateMs = 0;
/** The frame being decoded and the newest one waiting behind it: the page never queues more than that. */
let isDecoding = false;
/** The H.264 player while the channel carries H.264, and the element it shows the picture in. */
/** @type {ReturnType<typeof createH264Player> | ReturnType<typeof createMsePlayer> | null} */
let h264 = null;
/** @type {HTMLCanvasElement | HTMLVideoElement} */
let h264Surface = videoCanvas;
/** Set when this browser failed to decode the H.264 stream: JPEG on the channel from then on. */
let isH264Broken = false;
let isCompatibilityChosen = readCompatibilityChoice();
/** What the channel carries now, for the mode readout. @type {'h264' | 'jpeg'} */
let channelCodec = 'jpeg';
/** @type {{ seq: number, captureTimeMs: number, blob: Blob, socket: WebSocket } | null} */
let waitingFrame = null;
/** A decode that takes longer than this (a stalled renderer) no longer holds the channel up. */
const DECODE_TIMEOUT_MS = 1000;

const probe = document.createElement('canvas');
probe.width = 8;
probe.height = 8;
const probeContext = probe.getContext('2d', { willReadFrequently: true });

/** @param {number} failures */
function backoffMs(failures) {
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, failures - 1));
}

/** @param {string} text */
function setState(text) {
  stateText.textContent = text;
}

/**
 * Offline: the last picture stays, dimmed, under the notice, and Save snapshot is off (there is nothing new to
 * save). Back online: the live picture replaces it.
 * @param {boolean} isOffline @param {string} [detail]
 */
function showOffline(isOffline, detail = '') {
  offline.hidden = !isOffline;
  lastFrame.hidden = !isOffline || lastFrame.width === 0;
  img.classList.toggle('is-hidden', isOffline);
  if (isOffline) offlineDetail.textContent = detail;
  setSaveEnabled(!isOffline);
}

/** Copies what the <img> shows into the canvas that stays on screen while offline. */
function keepLastFrame() {
  const source = h264Surface.hidden ? img : h264Surface;
  const width =
    source instanceof HTMLImageElement
      ? source.naturalWidth
      : source instanceof HTMLVideoElement
        ? source.videoWidth
        : source.width;
  const height =
    source instanceof HTMLImageElement
      ? source.naturalHeight
      : source instanceof HTMLVideoElement
        ? source.videoHeight
        : source.height;
  if (width === 0 || height === 0) return;
  lastFrame.width = width;
  lastFrame.height = height;
  try {
    lastFrame.getContext('2d')?.drawImage(source, 0, 0);
  } catch {
    lastFrame.width = 0;
  }
}

/** @param {boolean} isEnabled */
function setSaveEnabled(isEnabled) {
  if (isEnabled) {
    saveLink.removeAttribute('aria-disabled');
    saveLink.href = withKey(`${sourceBase}/snapshot.jpg`);
  } else {
    saveLink.setAttribute('aria-disabled', 'true');
    saveLink.removeAttribute('href');
  }
}

// Clearing src (not removing the element) is what makes Chromium close the connection (crbug 73395).
function dropImage() {
  // Whatever was on screen is what the offline state shows, dimmed, until a new picture arrives.
  keepLastFrame();
  showSurface('img');
  img.src = '';
  if (snapshotUrl) URL.revokeObjectURL(snapshotUrl);
  snapshotUrl = null;
}

function stopTimers() {
  clearTimeout(retryTimer);
  clearInterval(statusTimer);
  clearInterval(pollTimer);
  clearTimeout(streamRetryTimer);
  clearInterval(pingTimer);
  retryTimer = statusTimer = pollTimer = streamRetryTimer = pingTimer = undefined;
  closeChannel();
}

/** @param {Mode} next */
function setMode(next) {
  mode = next;
  document.body.dataset.mode = next;
  if (next === 'stream') {
    // The plain MJPEG stream: works everywhere, but cannot tell how old the picture is.
    behindText.textContent = 'Compatibility mode';
    delete document.body.dataset.codec;
    delete document.body.dataset.player;
    behindText.title =
      'This network does not pass the live channel; the picture may lag on a slow link';
  } else if (next !== 'channel') {
    behindText.textContent = '';
  }
}

function closeChannel() {
  if (!channel) return;
  const closing = channel;
  channel = null;
  closing.onopen = closing.onmessage = closing.onclose = closing.onerror = null;
  closing.close();
  waitingFrame = null;
  h264?.close();
  h264 = null;
}

function readCompatibilityChoice() {
  try {
    return localStorage.getItem(COMPATIBILITY_STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Which element shows the picture: the <img> (JPEG) or the H.264 player's canvas or <video>.
 * @param {'img' | 'video'} surface
 */
function showSurface(surface) {
  videoCanvas.hidden = surface !== 'video' || h264Surface !== videoCanvas;
  mseVideo.hidden = surface !== 'video' || h264Surface !== mseVideo;
  img.classList.toggle('is-hidden', surface === 'video');
}

/**
 * The best way this browser can watch: the acknowledged channel (H.264 where it decodes it, else JPEG), else the
 * multipart stream, which is also what the viewer gets by choosing Compatibility mode.
 */
function startLive() {
  if (typeof WebSocket === 'function' && !isChannelBroken && !isCompatibilityChosen) startChannel();
  else startStream();
}

function startChannel() {
  stopTimers();
  dropImage();
  setMode('channel');
  attempt += 1;
  connectedAtMs = lastChangeAtMs = Date.now();
  lastSignature = '';
  setState('Connecting…');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wantsH264 = (canPlayH264() || canPlayMse()) && !isH264Broken;
  const params = wantsH264 ? { client: clientId, codec: 'h264' } : { client: clientId };
  const socket = new WebSocket(
    `${scheme}//${location.host}${withKey(`${sourceBase}/stream.ws`, params)}`,
  );
  channelCodec = 'jpeg';
  socket.binaryType = 'arraybuffer';
  let isOpen = false;
  socket.onopen = () => {
    isOpen = true;
    channelFailures = 0;
    // The state line (viewer count, paused) comes from the status; ask now rather than at the first poll.
    void checkStatus();
    sendPing();
    pingTimer = setInterval(sendPing, CLOCK_PING_MS);
  };
  socket.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) onChannelFrame(socket, event.data);
    else if (typeof event.data === 'string') onChannelText(socket, event.data);
  };
  socket.onclose = (event) => {
    if (channel !== socket) return;
    channel = null;
    clearInterval(pingTimer);
    // 1012: the server asked every viewer to reconnect (new size, restart); do it at once.
    if (isOpen && event.code === 1012) {
      startChannel();
      return;
    }
    if (!isOpen) channelFailures += 1;
    if (channelFailures >= CHANNEL_FAILURES_BEFORE_MULTIPART) {
      isChannelBroken = true;
      startStream();
      return;
    }
    setState('Reconnecting…');
    // The status check tells a refused key (401/429) and an unreachable server apart, and reconnects.
    void fetchStatus().then((status) => {
      if (status !== null && mode === 'channel') {
        retryTimer = setTimeout(startChannel, backoffMs(channelFailures + 1));
      }
    });
  };
  channel = socket;
  statusTimer = setInterval(() => void checkStatus(), STATUS_POLL_MS);
}

/**
 * Sends on the current channel only while it is open: a frame drawn just as the server ends the channel (a size
 * change) must not be acknowledged into a closing socket, which the browser reports as an error.
 * @param {WebSocket} socket @param {object} message
 */
function sendOnChannel(socket, message) {
  if (socket !== channel || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify(message));
}

function sendPing() {
  if (channel) sendOnChannel(channel, { type: 'ping', t: Date.now() });
}

/** @param {WebSocket} socket @param {string} text */
function onChannelText(socket, text) {
  /** @type {{ type?: unknown, t?: unknown, serverTimeMs?: unknown, codec?: unknown }} */
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  if (message.type === 'video' && typeof message.codec === 'string') {
    startH264(socket, message.codec);
    return;
  }
  if (message.type !== 'pong' || typeof message.t !== 'number') return;
  if (typeof message.serverTimeMs !== 'number') return;
  const nowMs = Date.now();
  const roundTripMs = nowMs - message.t;
  // NTP's rule: the sample with the shortest round trip has the smallest error (half its round trip).
  if (roundTripMs <= bestPingRoundTripMs) {
    bestPingRoundTripMs = roundTripMs;
    clockOffsetMs = message.serverTimeMs - (message.t + nowMs) / 2;
  }
}

/**
 * The server announced H.264: play it with WebCodecs into the canvas where the page has it (secure contexts),
 * else through MSE into the <video>; acknowledge each unit once the player is done with it; if this browser
 * cannot play it after all, reconnect for JPEG.
 * @param {WebSocket} socket @param {string} codec
 */
function startH264(socket, codec) {
  h264?.close();
  const isWebCodecs = canPlayH264();
  h264Surface = isWebCodecs ? videoCanvas : mseVideo;
  /** @type {Parameters<typeof createMsePlayer>[1]} */
  const hooks = {
    onDone: (seq) => {
      if (mode === 'channel') sendOnChannel(socket, { type: 'ack', seq });
    },
    onShown: (captureTimeMs) => {
      if (socket !== channel || mode !== 'channel') return;
      // A new picture on screen: what the stall check otherwise learns from the <img>, which H.264 leaves empty.
      lastChangeAtMs = Date.now();
      showSurface('video');
      showBehind(captureTimeMs);
      showOffline(false);
    },
    onFailure: (reason) => {
      if (socket !== channel) return;
      console.warn(`H.264 playback failed (${reason}); using JPEG`);
      isH264Broken = true;
      startChannel();
    },
    onNeedKeyframe: () => {
      sendOnChannel(socket, { type: 'keyframe' });
    },
  };
  const player = isWebCodecs
    ? createH264Player(videoCanvas, hooks)
    : createMsePlayer(mseVideo, hooks);
  h264 = player;
  channelCodec = 'h264';
  void player.configure(codec);
}

/** @param {WebSocket} socket @param {ArrayBuffer} data */
function onChannelFrame(socket, data) {
  if (data.byteLength < FRAME_HEADER_BYTES) return;
  const view = new DataView(data);
  if (view.getUint8(0) !== FRAME_LAYOUT_VERSION) return;
  if (view.getUint8(1) === FRAME_KIND_H264) {
    h264?.push({
      seq: view.getUint32(4, true),
      captureTimeMs: view.getFloat64(8, true),
      isKey: (view.getUint8(2) & FLAG_KEYFRAME) !== 0,
      payload: new Uint8Array(data, FRAME_HEADER_BYTES),
    });
    return;
  }
  if (view.getUint8(1) !== FRAME_KIND_JPEG) return;
  const frame = {
    seq: view.getUint32(4, true),
    captureTimeMs: view.getFloat64(8, true),
    blob: new Blob([new Uint8Array(data, FRAME_HEADER_BYTES)], { type: 'image/jpeg' }),
    socket,
  };
  // Latest wins in the page too: a frame that arrives while another decodes replaces any older waiting one.
  waitingFrame = frame;
  if (!isDecoding) void drawWaitingFrames();
}

async function drawWaitingFrames() {
  isDecoding = true;
  while (waitingFrame && mode === 'channel') {
    const frame = waitingFrame;
    waitingFrame = null;
    const url = URL.createObjectURL(frame.blob);
    // Decoded off screen first, then swapped in: the visible <img> never passes through an empty state (no flicker,
    // and Save snapshot or the offline copy always find a picture). Acknowledging after the decode means "drawn",
    // not merely "received". A frame the browser cannot decode is skipped; the next one replaces it.
    const next = new Image();
    next.src = url;
    await Promise.race([
      next.decode().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, DECODE_TIMEOUT_MS)),
    ]);
    if (frame.socket !== channel || mode !== 'channel') {
      URL.revokeObjectURL(url);
      continue;
    }
    const previous = snapshotUrl;
    snapshotUrl = url;
    img.src = url;
    if (previous) URL.revokeObjectURL(previous);
    // Acknowledged on the channel that sent it: after a reconnect an old frame means nothing to the new one.
    if (frame.socket === channel && mode === 'channel') {
      showSurface('img');
      sendOnChannel(frame.socket, { type: 'ack', seq: frame.seq });
      showBehind(frame.captureTimeMs);
      showOffline(false);
    }
  }
  isDecoding = false;
}

/** @param {number} captureTimeMs */
function showBehind(captureTimeMs) {
  const nowMs = Date.now();
  if (nowMs - lastBehindUpdateMs < BEHIND_UPDATE_MS) return;
  lastBehindUpdateMs = nowMs;
  const behindS = Math.max(0, (nowMs + clockOffsetMs - captureTimeMs) / 1000);
  const behind = `${behindS < 10 ? behindS.toFixed(1) : Math.round(behindS)} s behind`;
  behindText.textContent = `${channelCodec === 'h264' ? 'H.264' : 'JPEG'} · ${behind}`;
  document.body.dataset.codec = channelCodec;
  // Which H.264 player shows it: WebCodecs (secure contexts) or MSE (plain http).
  if (channelCodec === 'h264')
    document.body.dataset.player = h264Surface === mseVideo ? 'mse' : 'webcodecs';
  else delete document.body.dataset.player;
  behindText.title = 'How long ago the camera took the picture you see';
}

function startStream() {
  stopTimers();
  dropImage();
  setMode('stream');
  attempt += 1;
  connectedAtMs = lastChangeAtMs = Date.now();
  lastSignature = '';
  setState('Connecting…');
  // A fresh query per attempt, so no cache or half-dead connection is reused.
  img.src = withKey(`${sourceBase}/stream.mjpg`, { client: clientId, n: String(attempt) });
  statusTimer = setInterval(() => void checkStatus(), STATUS_POLL_MS);
}

function onStreamFailure() {
  if (mode === 'channel') {
    startChannel();
    return;
  }
  if (mode !== 'stream') return;
  dropImage();
  streamFailures += 1;
  if (streamFailures >= STREAM_FAILURES_BEFORE_POLLING) {
    startPolling();
    return;
  }
  setState('Reconnecting…');
  clearTimeout(retryTimer);
  retryTimer = setTimeout(startStream, backoffMs(streamFailures));
}

function startPolling() {
  stopTimers();
  dropImage();
  setMode('polling');
  setState('Live stream unavailable: showing snapshots');
  pollTimer = setInterval(() => void pollSnapshot(), SNAPSHOT_POLL_MS);
  statusTimer = setInterval(() => void checkStatus(), STATUS_POLL_MS);
  streamRetryTimer = setTimeout(() => {
    isChannelBroken = false;
    startLive();
  }, STREAM_RETRY_WHILE_POLLING_MS);
  void pollSnapshot();
}

async function pollSnapshot() {
  try {
    const response = await fetch(withKey(`${sourceBase}/snapshot.jpg`, { t: String(Date.now()) }), {
      cache: 'no-store',
    });
    if (response.status === 401 || response.status === 429) {
      refused(response.status);
      return;
    }
    // The server answers, but not for this source: it was removed.
    if (response.status === 404) {
      sourceGone();
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blob = await response.blob();
    if (mode !== 'polling') return;
    const previous = snapshotUrl;
    snapshotUrl = URL.createObjectURL(blob);
    img.src = snapshotUrl;
    if (previous) URL.revokeObjectURL(previous);
    showOffline(false);
  } catch {
    goOffline('The camera server does not answer.');
  }
}

/**
 * The server refused the key. 401: it changed (the broadcaster restarted with a new one), so retrying would
 * only count towards the lockout. 429: locked out for a while; come back after it.
 * @param {number} status
 */
function refused(status) {
  if (status === 401) {
    goOffline('The access key in this address is no longer valid. Ask for the new address.', null);
  } else {
    goOffline('Too many wrong keys from this device.', LOCKOUT_RETRY_MS);
  }
}

/**
 * @param {string} detail
 * @param {number | null} [retryMs] null: stay offline; undefined: retry with backoff.
 */
function goOffline(detail, retryMs) {
  if (mode === 'hidden') return;
  stopTimers();
  dropImage();
  setMode('offline');
  setState('Offline');
  if (retryMs === null) {
    showOffline(true, detail);
    return;
  }
  offlineFailures += 1;
  const delayMs = retryMs ?? backoffMs(offlineFailures);
  showOffline(true, `${detail} Reconnecting…`);
  retryTimer = setTimeout(() => void probeServer(), delayMs);
}

async function probeServer() {
  const status = await fetchStatus();
  if (status === null) return;
  if (shownSource(status) === null) {
    sourceGone();
    return;
  }
  offlineFailures = 0;
  showOffline(false);
  startLive();
}

/** A tiny downscaled copy of the current frame, to tell whether the picture still changes. */
function frameSignature() {
  if (!probeContext || img.naturalWidth === 0) return '';
  try {
    probeContext.drawImage(img, 0, 0, probe.width, probe.height);
    return probeContext.getImageData(0, 0, probe.width, probe.height).data.join(',');
  } catch {
    return '';
  }
}

/**
 * @typedef {{ clientId?: string }} ViewerStatus
 * @typedef {{ state: 'live' | 'paused' | 'waiting', sourceFps: number, viewerCount: number }} SourceFigures
 * @typedef {SourceFigures & { viewers: ViewerStatus[], sources?: SourceInfo[] }} Status
 */

/**
 * The shown source's part of the status, or null when the server does not serve it (any more).
 * @param {Status} status
 * @returns {SourceFigures | null}
 */
function shownSource(status) {
  if (!status.sources) return sourceId === 1 ? status : null;
  return status.sources.find((source) => source.id === sourceId) ?? null;
}

function sourceGone() {
  goOffline(`Source ${sourceId} is not being broadcast now.`, SOURCE_GONE_RETRY_MS);
}

/**
 * The server's status, or null once a refused key (401/429) or an unreachable server has been shown; the
 * offline probe and the periodic check both go through here so they treat failures alike.
 * @returns {Promise<Status | null>}
 */
async function fetchStatus() {
  try {
    const response = await fetch(withKey('/status.json'), { cache: 'no-store' });
    if (response.status === 401 || response.status === 429) {
      refused(response.status);
      return null;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const status = /** @type {Status} */ (await response.json());
    // Sources come and go (added, removed, renamed): the switcher follows every status the page reads.
    if (status.sources) sourcesView.update(status.sources);
    return status;
  } catch {
    goOffline('The camera server does not answer.');
    return null;
  }
}

async function checkStatus() {
  const status = await fetchStatus();
  if (status === null) return;
  offlineFailures = 0;
  if (mode !== 'stream' && mode !== 'channel') return;
  const source = shownSource(status);
  if (source === null) {
    sourceGone();
    return;
  }
  const viewers = `${source.viewerCount} watching`;
  const nowMs = Date.now();
  const signature = frameSignature();
  if (signature !== '' && signature !== lastSignature) {
    lastSignature = signature;
    lastChangeAtMs = nowMs;
    streamFailures = 0;
  }
  if (source.state === 'paused') setState(`Paused by the broadcaster · ${viewers}`);
  else if (source.state === 'waiting') setState(`Waiting for the camera · ${viewers}`);
  else setState(`Live · ${viewers}`);
  // The server ended this stream (reconnectViewers after a size change, a stall eviction): reconnect now.
  const isMine = status.viewers.some((viewer) => viewer.clientId === clientId);
  if (!isMine && nowMs - connectedAtMs > STATUS_POLL_MS) {
    startLive();
    return;
  }
  // A still picture is expected while paused or waiting; while live it means the stream is stuck.
  const isSourceMoving = source.state === 'live' && source.sourceFps > 0;
  const isStuck = nowMs - lastChangeAtMs > STALL_MS && nowMs - connectedAtMs > STALL_MS;
  if (isStuck && (isSourceMoving || img.naturalWidth === 0)) onStreamFailure();
}

img.addEventListener('load', () => {
  if (mode === 'stream') showOffline(false);
});

img.addEventListener('error', () => {
  // Clearing src fires 'error' in some browsers; only a failure of a real attempt counts.
  if (mode === 'stream' && img.getAttribute('src')) onStreamFailure();
});

function stopForHidden() {
  stopTimers();
  dropImage();
  sourcesView.suspend();
  setMode('hidden');
  setState('Paused while this tab is hidden');
}

/** Back from hidden: the view the viewer had, one source or all of them. */
function resumeView() {
  if (sourcesView.isGridShown) showAll();
  else startLive();
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') stopForHidden();
  else if (mode === 'hidden') resumeView();
});

// pagehide also covers the back/forward cache, where unload never fires.
window.addEventListener('pagehide', stopForHidden);
window.addEventListener('pageshow', () => {
  if (mode === 'hidden' && document.visibilityState === 'visible') resumeView();
});

const sourcesView = createSourcesView({
  nav: sourcesNav,
  grid,
  withKey,
  clientId,
  onOpen: openSource,
  onShowAll: showAll,
});

/**
 * Shows source `id` in the main view (from the switcher or a tile). The address follows, so a reload or a shared
 * link opens the same source.
 * @param {number} id
 */
function openSource(id) {
  const isSame = id === sourceId && mode !== 'grid';
  sourcesView.showSource(id);
  stage.hidden = false;
  if (isSame) return;
  sourceId = id;
  sourceBase = `/cam/${id}`;
  // Another source, another chance: what failed for the previous one says nothing about this one.
  isChannelBroken = false;
  channelFailures = streamFailures = offlineFailures = 0;
  history.replaceState(null, '', withKey(`${sourceBase}/`));
  saveLink.href = withKey(`${sourceBase}/snapshot.jpg`);
  startLive();
}

/** The grid of every source takes the main view's place; the main view lets go of its stream. */
function showAll() {
  stopTimers();
  dropImage();
  showOffline(false);
  setMode('grid');
  setState('All sources');
  stage.hidden = true;
  sourcesView.showGrid();
}

/**
 * Fullscreen where the browser allows it for a page element: iPadOS Safari only has the webkit-prefixed call, and
 * iPhone Safari has none (only <video> can go fullscreen there), so the button is not offered.
 * @typedef {{ webkitFullscreenEnabled?: boolean, webkitFullscreenElement?: Element | null,
 *   webkitExitFullscreen?: () => void }} WebkitDocument
 * @typedef {{ webkitRequestFullscreen?: () => void }} WebkitElement
 */
const webkitDocument = /** @type {Document & WebkitDocument} */ (document);
const webkitStage = /** @type {HTMLElement & WebkitElement} */ (stage);
if (!document.fullscreenEnabled && !webkitDocument.webkitFullscreenEnabled) {
  fullscreenButton.hidden = true;
}

fullscreenButton.addEventListener('click', () => {
  if (document.fullscreenElement) void document.exitFullscreen();
  else if (webkitDocument.webkitFullscreenElement) webkitDocument.webkitExitFullscreen?.();
  else if (typeof stage.requestFullscreen === 'function') {
    void stage.requestFullscreen().catch(() => undefined);
  } else webkitStage.webkitRequestFullscreen?.();
});

/** @type {ReturnType<typeof setTimeout> | undefined} */
let hideControlsTimer;
function showControls() {
  document.body.classList.remove('controls-hidden');
  clearTimeout(hideControlsTimer);
  hideControlsTimer = setTimeout(() => {
    // Never hide while the viewer is using them or while there is no picture to look at.
    if (!controls.contains(document.activeElement) && offline.hidden) {
      document.body.classList.add('controls-hidden');
    }
  }, CONTROLS_HIDE_MS);
}
if (isTouch) {
  stage.addEventListener('click', () => {
    if (document.body.classList.contains('controls-hidden')) showControls();
    else document.body.classList.add('controls-hidden');
  });
  controls.addEventListener('pointerdown', showControls);
  controls.addEventListener('focusin', showControls);
  showControls();
}

compatibilityButton.setAttribute('aria-pressed', String(isCompatibilityChosen));
compatibilityButton.title =
  'The plain MJPEG stream: works in every browser and through every proxy, but may lag on a slow link';
compatibilityButton.addEventListener('click', () => {
  isCompatibilityChosen = !isCompatibilityChosen;
  compatibilityButton.setAttribute('aria-pressed', String(isCompatibilityChosen));
  try {
    localStorage.setItem(COMPATIBILITY_STORAGE_KEY, isCompatibilityChosen ? '1' : '0');
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page.
  }
  isChannelBroken = false;
  startLive();
});

saveLink.addEventListener('click', (event) => {
  if (saveLink.getAttribute('aria-disabled') === 'true') {
    event.preventDefault();
    return;
  }
  // Refreshed on each click so the download is the picture of this moment.
  saveLink.href = withKey(`${sourceBase}/snapshot.jpg`, { t: String(Date.now()) });
  const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
  saveLink.download = `lancam-${stamp}.jpg`;
});

saveLink.href = withKey(`${sourceBase}/snapshot.jpg`);
sourcesView.showSource(sourceId);
if (document.visibilityState === 'visible') startLive();
else stopForHidden();
