// @ts-check
// The viewer page's sources, once the server serves two or more: the switcher ("1 · Desk", …, "All") and the grid
// of every source, one multipart stream per tile that is on screen (tiles scrolled away, a hidden grid or a hidden
// page hold no connection). Clicking a tile or a switcher button opens that source in the page's main view.

/** Tiles are small: a capped rate keeps four of them light on a phone (the server paces with ?fps=). */
const TILE_FPS = 10;
const TILE_RETRY_MS = 3000;
const GRID_STATUS_MS = 2000;

/**
 * @typedef {{
 *   id: number, name: string, state: 'live' | 'paused' | 'waiting', sourceFps: number, viewerCount: number,
 *   frame: { width: number, height: number } | null,
 * }} SourceInfo
 * @typedef {{
 *   nav: HTMLElement,
 *   grid: HTMLElement,
 *   withKey: (path: string, params?: Record<string, string>) => string,
 *   clientId: string,
 *   onOpen: (id: number) => void,
 *   onShowAll: () => void,
 * }} SourcesViewOptions
 * @typedef {{
 *   id: number, button: HTMLButtonElement, img: HTMLImageElement, name: HTMLElement, state: HTMLElement,
 *   isOnScreen: boolean, isStreaming: boolean, attempt: number,
 *   retryTimer: ReturnType<typeof setTimeout> | undefined, info: SourceInfo,
 * }} Tile
 */

/** @param {SourceInfo} source */
function sourceLabel(source) {
  return source.name === '' ? `Source ${source.id}` : `${source.id} · ${source.name}`;
}

/** @param {SourceInfo['state']} state */
function stateLabel(state) {
  if (state === 'paused') return 'Paused';
  if (state === 'waiting') return 'Waiting';
  return 'Live';
}

/**
 * Re-inserting an element takes the keyboard focus off it, so a status poll changes the children only when the
 * list really changed.
 * @param {HTMLElement} parent @param {readonly HTMLElement[]} children
 */
function replaceChildrenIfChanged(parent, children) {
  const current = [...parent.children];
  if (current.length === children.length && current.every((child, i) => child === children[i])) {
    return;
  }
  parent.replaceChildren(...children);
}

/* exported createSourcesView -- called by viewer.js, loaded after this script */
/** @param {SourcesViewOptions} options */
function createSourcesView(options) {
  const { nav, grid, withKey, clientId } = options;
  /** @type {Map<number, Tile>} */
  const tiles = new Map();
  /** @type {Map<number | 'all', HTMLButtonElement>} */
  const buttons = new Map();
  /** @type {number | 'all'} */
  let selected = 'all';
  let isGridShown = false;
  /** Grid shown and the page visible: only then may tiles hold streams. */
  let isActive = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let statusTimer;

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const tile = [...tiles.values()].find((candidate) => candidate.button === entry.target);
      if (!tile) continue;
      tile.isOnScreen = entry.isIntersecting;
      if (tile.isOnScreen && isActive) connect(tile);
      else disconnect(tile);
    }
  });

  /** @param {Tile} tile */
  function connect(tile) {
    if (tile.isStreaming) return;
    clearTimeout(tile.retryTimer);
    tile.isStreaming = true;
    tile.attempt += 1;
    // A fresh query per attempt (no cached or half-dead connection), tagged so /status.json shows this tile.
    tile.img.src = withKey(`/cam/${tile.id}/stream.mjpg`, {
      client: `${clientId}-t${tile.id}`,
      fps: String(TILE_FPS),
      n: String(tile.attempt),
    });
  }

  // Clearing src (not removing the element) is what makes Chromium close the connection (crbug 73395).
  /** @param {Tile} tile */
  function disconnect(tile) {
    clearTimeout(tile.retryTimer);
    tile.retryTimer = undefined;
    if (!tile.isStreaming) return;
    tile.isStreaming = false;
    tile.img.src = '';
  }

  /** @param {SourceInfo} info */
  function createTile(info) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tile';
    // The picture's box has its size before any frame arrives (an empty <img> has none), so the observer knows
    // from the start which tiles are on screen.
    const picture = document.createElement('span');
    picture.className = 'tile-picture';
    const img = document.createElement('img');
    img.alt = '';
    picture.append(img);
    const caption = document.createElement('span');
    caption.className = 'tile-caption';
    const name = document.createElement('span');
    name.className = 'tile-name';
    const state = document.createElement('span');
    state.className = 'tile-state';
    // The button's name is what it shows, "Source 1 Live", after a word only screen readers hear (WCAG 2.5.3:
    // the visible label stays part of the name, so voice control finds it).
    const verb = document.createElement('span');
    verb.className = 'visually-hidden';
    verb.textContent = 'Open ';
    caption.append(name, ' ', state);
    button.append(verb, picture, caption);
    /** @type {Tile} */
    const tile = {
      id: info.id,
      button,
      img,
      name,
      state,
      isOnScreen: false,
      isStreaming: false,
      attempt: 0,
      retryTimer: undefined,
      info,
    };
    button.addEventListener('click', () => {
      options.onOpen(tile.id);
    });
    img.addEventListener('error', () => {
      // Clearing src fires 'error' too; only a failed stream counts, and it is tried again while on screen.
      if (!tile.isStreaming) return;
      tile.isStreaming = false;
      tile.state.textContent = 'Offline';
      tile.retryTimer = setTimeout(() => {
        if (tile.isOnScreen && isActive) connect(tile);
      }, TILE_RETRY_MS);
    });
    img.addEventListener('load', () => {
      tile.state.textContent = stateLabel(tile.info.state);
    });
    return tile;
  }

  /** @param {Tile} tile @param {SourceInfo} info */
  function describeTile(tile, info) {
    tile.info = info;
    tile.name.textContent = sourceLabel(info);
    tile.state.textContent = stateLabel(info.state);
  }

  /** @param {number | 'all'} id @param {string} label */
  function switcherButton(id, label) {
    let button = buttons.get(id);
    if (!button) {
      button = document.createElement('button');
      button.type = 'button';
      button.addEventListener('click', () => {
        if (id === 'all') options.onShowAll();
        else options.onOpen(id);
      });
      buttons.set(id, button);
    }
    button.textContent = label;
    button.setAttribute('aria-pressed', String(id === selected));
    return button;
  }

  /**
   * Brings the switcher and the tiles in line with the server's sources (added, removed, renamed, paused).
   * @param {readonly SourceInfo[]} sources
   */
  function update(sources) {
    const isSeveral = sources.length >= 2;
    nav.hidden = !isSeveral;
    if (!isSeveral) {
      // One source: the page as it always was, with nothing to switch.
      nav.replaceChildren();
      buttons.clear();
    }
    const ids = new Set(sources.map((source) => source.id));
    for (const [id, button] of buttons) {
      if (id !== 'all' && !ids.has(id)) {
        button.remove();
        buttons.delete(id);
      }
    }
    if (isSeveral) {
      replaceChildrenIfChanged(nav, [
        ...sources.map((source) => switcherButton(source.id, sourceLabel(source))),
        switcherButton('all', 'All'),
      ]);
    }
    for (const [id, tile] of tiles) {
      if (ids.has(id)) continue;
      disconnect(tile);
      observer.unobserve(tile.button);
      tile.button.remove();
      tiles.delete(id);
    }
    for (const source of sources) {
      let tile = tiles.get(source.id);
      if (!tile) {
        tile = createTile(source);
        tiles.set(source.id, tile);
        observer.observe(tile.button);
      }
      describeTile(tile, source);
    }
    replaceChildrenIfChanged(
      grid,
      [...tiles.values()].sort((a, b) => a.id - b.id).map((tile) => tile.button),
    );
  }

  async function pollStatus() {
    try {
      const response = await fetch(withKey('/status.json'), { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      /** @type {{ sources?: SourceInfo[] }} */
      const status = await response.json();
      if (isActive) update(status.sources ?? []);
    } catch {
      for (const tile of tiles.values()) tile.state.textContent = 'Offline';
    }
  }

  /** @param {number | 'all'} id */
  function select(id) {
    selected = id;
    for (const [buttonId, button] of buttons) {
      button.setAttribute('aria-pressed', String(buttonId === id));
    }
  }

  return {
    update,
    /** The main view shows source `id`: the grid closes its streams. @param {number} id */
    showSource(id) {
      select(id);
      isGridShown = isActive = false;
      grid.hidden = true;
      clearInterval(statusTimer);
      statusTimer = undefined;
      for (const tile of tiles.values()) disconnect(tile);
    },
    /** The grid replaces the main view; tiles on screen connect (the observer reports them once laid out). */
    showGrid() {
      select('all');
      isGridShown = isActive = true;
      grid.hidden = false;
      for (const tile of tiles.values()) if (tile.isOnScreen) connect(tile);
      clearInterval(statusTimer);
      statusTimer = setInterval(() => void pollStatus(), GRID_STATUS_MS);
      void pollStatus();
    },
    /** The page is hidden: every tile lets go of its stream, the grid stays chosen for when it is back. */
    suspend() {
      isActive = false;
      clearInterval(statusTimer);
      statusTimer = undefined;
      for (const tile of tiles.values()) disconnect(tile);
    },
    get isGridShown() {
      return isGridShown;
    },
  };
}
