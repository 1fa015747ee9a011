// hr-bot web chat: the browser side. Plain JS, no build step, no dependencies.
// Talks to the server over a WebSocket at ./ws (JSON frames: hello, history, message, edit,
// toast, done, error from the server; text, button, file from the page) and uploads files with
// POST ./upload. Untrusted strings never reach innerHTML: bot HTML is parsed with DOMParser and
// rebuilt from an allow-list; everything else is inserted as text.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const scroller = $('scroll');
  const input = $('input');
  const fileInput = $('file');
  const menu = $('menu');
  const menuBtn = $('menu-btn');
  const statusLine = $('status');
  const pill = $('new-pill');
  const typing = $('typing');
  const uploadLine = $('upload');
  const toasts = $('toasts');
  const alertDlg = $('alert');
  const dropZone = $('drop');

  // Localised strings the server filled into the hidden #i18n block.
  const T = {};
  for (const el of document.querySelectorAll('#i18n [data-k]')) T[el.dataset.k] = el.textContent.trim();

  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const inFrame = (() => { try { return window.self !== window.top; } catch { return true; } })();
  const embedded = inFrame || new URLSearchParams(location.search).get('embed') === '1';
  const baseTitle = document.title;

  let ws = null;            // current WebSocket (null while disconnected)
  let backoff = 1000;       // reconnect delay: 1 s, 2 s, 4 s ... 30 s
  let retryTimer = 0;
  let nextRef = 1;
  const pending = new Map(); // ref -> {btn, timer}: frames the server has not answered with `done` yet
  const messages = new WeakMap(); // .msg element -> its Message object
  let maxUpload = 20 * 1024 * 1024;
  let commands = [];
  let menuFromTyping = false;
  let unread = 0;
  let firstHistory = true;

  // ---------------------------------------------------------------- small DOM helpers

  /** Create an element; attributes via setAttribute, children appended as nodes or text. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) el.setAttribute(k, String(v));
    for (const c of children) if (c != null && c !== '') el.append(c);
    return el;
  }

  const svgNS = 'http://www.w3.org/2000/svg';
  function icon(d) {
    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'ico');
    const path = document.createElementNS(svgNS, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', d);
    svg.append(path);
    return svg;
  }
  const ICON_DOC = 'M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Zm7 1.5V9h5.5L13 3.5ZM8 13v2h8v-2H8Zm0 4v2h5v-2H8Z';
  const ICON_EXT = 'M14 3h7v7h-2V6.4l-9.3 9.3-1.4-1.4L17.6 5H14V3ZM5 5h6v2H5v12h12v-6h2v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Z';

  const lang = () => document.documentElement.lang || 'ru';

  /** Links the bot may send: http(s), tg: and mailto: only. */
  function safeHref(href) {
    const s = String(href || '').trim();
    return /^(https?:|tg:|mailto:)/i.test(s) ? s : null;
  }

  /** File URLs must stay on our origin (img-src 'self' anyway). */
  function sameOriginUrl(url) {
    try {
      const u = new URL(String(url || ''), location.href);
      return u.origin === location.origin ? u.href : null;
    } catch { return null; }
  }

  function humanSize(n) {
    if (!Number.isFinite(n) || n < 0) return '';
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1024; i++; }
    try {
      const display = i ? 'short' : 'narrow'; // "512B" / "512 Б" rather than "512 byte"
      return new Intl.NumberFormat(lang(), { style: 'unit', unit: units[i], unitDisplay: display, maximumFractionDigits: i ? 1 : 0 }).format(n);
    } catch { return Math.round(n) + ' ' + ['B', 'KB', 'MB', 'GB'][i]; }
  }

  function formatTime(at) {
    const d = new Date(at);
    if (Number.isNaN(d.getTime())) return null;
    const today = new Date().toDateString() === d.toDateString();
    const opts = today ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
    try { return new Intl.DateTimeFormat(lang(), opts).format(d); } catch { return d.toLocaleString(); }
  }

  // ---------------------------------------------------------------- safe rendering of bot HTML

  const KEEP = new Set(['B', 'STRONG', 'I', 'EM', 'U', 'INS', 'S', 'STRIKE', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'BR']);

  /** Parse Telegram-style HTML in an inert document and rebuild it from the allow-list. */
  function sanitize(html) {
    const doc = new DOMParser().parseFromString(String(html), 'text/html');
    const frag = document.createDocumentFragment();
    copyChildren(doc.body, frag);
    return frag;
  }

  function copyChildren(src, dst) {
    for (const n of src.childNodes) {
      const c = cleanNode(n);
      if (c) dst.append(c);
    }
  }

  function cleanNode(n) {
    if (n.nodeType === Node.TEXT_NODE) return document.createTextNode(n.data);
    if (n.nodeType !== Node.ELEMENT_NODE) return null; // comments etc.
    const tag = n.tagName.toUpperCase();
    let el;
    if (KEEP.has(tag)) {
      el = document.createElement(tag.toLowerCase());
    } else if (tag === 'A' && safeHref(n.getAttribute('href'))) {
      el = h('a', { href: safeHref(n.getAttribute('href')), target: '_blank', rel: 'noopener noreferrer' });
    } else if (tag === 'TG-SPOILER' || (tag === 'SPAN' && n.classList.contains('tg-spoiler'))) {
      el = h('span', { class: 'spoiler', role: 'button', tabindex: '0', title: T.spoiler });
    } else {
      return document.createTextNode(n.textContent); // anything else: just its text
    }
    if (tag !== 'BR') copyChildren(n, el);
    return el;
  }

  function revealSpoiler(sp) {
    sp.classList.add('revealed');
    sp.removeAttribute('role');
    sp.removeAttribute('tabindex');
    sp.removeAttribute('title');
  }

  // ---------------------------------------------------------------- messages

  function renderMessage(m) {
    const from = m.from === 'user' ? 'user' : 'bot';
    const el = h('div', { class: 'msg', 'data-id': m.id, 'data-from': from });
    messages.set(el, m);
    const bubble = h('div', { class: 'bubble' });
    bubble.append(h('span', { class: 'visually-hidden' }, (from === 'bot' ? T['from-bot'] : T['from-you']) + ': '));
    if (from === 'bot' && m.html) {
      const body = h('div', { class: 'body' });
      body.append(sanitize(m.html));
      bubble.append(body);
    } else if (m.text) {
      bubble.append(h('div', { class: 'body' }, String(m.text)));
    }
    if (m.file) bubble.append(renderFile(m.file));
    const when = m.at && formatTime(m.at);
    if (when) bubble.append(h('time', { class: 'at', datetime: m.at }, when));
    el.append(bubble);
    if (Array.isArray(m.buttons) && m.buttons.length) el.append(renderKeyboard(m.buttons));
    return el;
  }

  function renderFile(f) {
    const name = String(f.name || 'file');
    const url = sameOriginUrl(f.url);
    if (!url) return h('div', { class: 'file' }, name);
    if (f.kind === 'photo') {
      const img = h('img', { src: url, alt: name, decoding: 'async' });
      img.addEventListener('load', keepBottom);
      return h('a', { class: 'photo', href: url, target: '_blank', rel: 'noopener noreferrer' }, img);
    }
    return h('a', { class: 'file', href: url, download: name },
      icon(ICON_DOC),
      h('span', { class: 'file-name' }, name),
      h('span', { class: 'file-size' }, humanSize(Number(f.size))));
  }

  function renderKeyboard(rows) {
    const kb = h('div', { class: 'kb' });
    for (const row of rows) {
      if (!Array.isArray(row)) continue;
      const r = h('div', { class: 'kb-row' });
      for (const b of row) {
        if (!b) continue;
        const label = String(b.label ?? '');
        const href = b.url && safeHref(b.url);
        if (href) {
          r.append(h('a', { class: 'btn link', href, target: '_blank', rel: 'noopener noreferrer' },
            label, h('span', { class: 'visually-hidden' }, ` (${T['new-tab']})`), icon(ICON_EXT)));
        } else if (typeof b.data === 'string') {
          r.append(h('button', { type: 'button', class: 'btn', 'data-data': b.data }, label));
        }
      }
      if (r.childElementCount) kb.append(r);
    }
    return kb;
  }

  const findMessage = (id) => log.querySelector(`.msg[data-id="${CSS.escape(String(id))}"]`);

  function addMessage(m) {
    if (!m || m.id == null) return;
    if (findMessage(m.id)) { editMessage(m); return; } // duplicate: treat as an update
    const stick = atBottom() || m.from === 'user';
    log.append(renderMessage(m));
    if (stick) scrollToBottom(false); else pill.hidden = false; // instant: a smooth scroll would race the next message
    if (document.hidden && m.from !== 'user') { unread++; document.title = `(${unread}) ${baseTitle}`; }
  }

  /** Replace a message in place, keeping keyboard focus on the same control. */
  function editMessage(m) {
    const old = m && findMessage(m.id);
    if (!old) return;
    const stick = atBottom();
    const fresh = renderMessage(m);
    const active = document.activeElement;
    let focusData = null;
    let focusIndex = -1;
    if (active && old.contains(active)) {
      const controls = [...old.querySelectorAll('.btn')];
      focusIndex = controls.indexOf(active);
      focusData = active.dataset ? active.dataset.data : null;
    }
    old.replaceWith(fresh);
    if (focusIndex >= 0) {
      const controls = [...fresh.querySelectorAll('.btn')];
      const target = controls.find((c) => focusData != null && c.dataset.data === focusData) || controls[focusIndex] || controls[0];
      if (target) target.focus({ preventScroll: true });
    }
    if (stick) scrollToBottom(false);
  }

  function renderHistory(list) {
    const stick = atBottom();
    const top = scroller.scrollTop;
    // Keep screen readers from reading the whole conversation out on every (re)connect.
    log.setAttribute('aria-live', 'off');
    log.replaceChildren(...(Array.isArray(list) ? list : []).filter((m) => m && m.id != null).map(renderMessage));
    if (firstHistory || stick) scrollToBottom(false); else scroller.scrollTop = top;
    setTimeout(() => {
      log.setAttribute('aria-live', 'polite');
      document.body.dataset.ready = '1';
    }, 150);
    if (firstHistory && !embedded && matchMedia('(pointer: fine)').matches) input.focus({ preventScroll: true });
    firstHistory = false;
  }

  // ---------------------------------------------------------------- scrolling

  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;

  function scrollToBottom(smooth) {
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth && !reducedMotion.matches ? 'smooth' : 'auto' });
    pill.hidden = true;
  }

  let wasAtBottom = true;
  function keepBottom() { if (wasAtBottom) scrollToBottom(false); }
  scroller.addEventListener('scroll', () => {
    wasAtBottom = atBottom();
    if (wasAtBottom) pill.hidden = true;
  }, { passive: true });
  pill.addEventListener('click', () => { scrollToBottom(true); input.focus({ preventScroll: true }); });
  // Window resized or the on-screen keyboard opened: stay at the bottom if we were there.
  new ResizeObserver(() => keepBottom()).observe(scroller);

  // ---------------------------------------------------------------- connection

  function setStatus(state) {
    statusLine.dataset.state = state;
    statusLine.textContent = state === 'ok' ? '' : T[state] || '';
  }

  function connect() {
    clearTimeout(retryTimer);
    if (ws) return;
    if (statusLine.dataset.state !== 'offline') setStatus('connecting');
    const url = new URL('ws', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let sock;
    try { sock = new WebSocket(url.href); } catch { scheduleReconnect(); return; }
    ws = sock;
    sock.addEventListener('message', (ev) => {
      if (sock !== ws) return;
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (frame && typeof frame === 'object') handle(frame);
    });
    sock.addEventListener('close', (ev) => {
      if (sock !== ws) return;
      ws = null;
      for (const ref of [...pending.keys()]) finish(ref); // these will never be answered
      // 4401: the browser keeps no session cookie here (a blocked cookie in a cross-site
      // frame, say); trying again would not help, so say so and stop
      if (ev.code === 4401) { setStatus('no-session'); return; }
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    setStatus('offline');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 30000);
  }

  function reconnectNow() {
    if (ws) return;
    backoff = 1000;
    connect();
  }
  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    unread = 0;
    document.title = baseTitle;
    reconnectNow();
  });

  /** Send a frame with a fresh ref; returns the ref, or 0 when offline (the user is told). */
  function send(frame) {
    if (!ws || ws.readyState !== WebSocket.OPEN) { toast(T.offline, 'error'); return 0; }
    const ref = nextRef++;
    ws.send(JSON.stringify({ ...frame, ref }));
    return ref;
  }

  /** Remember a frame until `done` (or 15 s): busy button, typing dots. */
  function track(ref, btn) {
    if (!ref) return;
    if (btn) { btn.setAttribute('aria-busy', 'true'); btn.classList.add('busy'); }
    pending.set(ref, { btn, timer: setTimeout(() => finish(ref), 15000) });
    typing.hidden = false;
    keepBottom();
  }

  function finish(ref) {
    const p = pending.get(ref);
    if (!p) return;
    clearTimeout(p.timer);
    if (p.btn) { p.btn.removeAttribute('aria-busy'); p.btn.classList.remove('busy'); }
    pending.delete(ref);
    typing.hidden = pending.size === 0;
  }

  function handle(f) {
    switch (f.t) {
      case 'hello': onHello(f); break;
      case 'history': renderHistory(f.messages); break;
      case 'message': addMessage(f.message); break;
      case 'edit': editMessage(f.message); break;
      case 'toast': if (f.text) { if (f.alert) showAlert(String(f.text)); else toast(String(f.text)); } break;
      case 'done': finish(f.ref); break;
      case 'error': if (f.text) toast(String(f.text), 'error'); break;
      default: break; // unknown frames are ignored (forward compatible)
    }
  }

  function onHello(f) {
    backoff = 1000;
    setStatus('ok');
    if (typeof f.locale === 'string' && /^[a-z]{2}(-[A-Za-z]{2})?$/.test(f.locale)) document.documentElement.lang = f.locale;
    $('example-banner').hidden = !f.example;
    const admin = Boolean(f.user && f.user.admin);
    for (const b of document.querySelectorAll('.admin-badge')) b.hidden = !admin;
    if (Number.isFinite(f.max_upload) && f.max_upload > 0) maxUpload = f.max_upload;
    buildMenu(Array.isArray(f.commands) ? f.commands : []);
  }

  // ---------------------------------------------------------------- clicks inside the log

  log.addEventListener('click', (e) => {
    const sp = e.target.closest('.spoiler:not(.revealed)');
    if (sp) { e.preventDefault(); revealSpoiler(sp); return; }
    const btn = e.target.closest('button.btn[data-data]');
    if (!btn || btn.getAttribute('aria-busy') === 'true') return;
    const msg = btn.closest('.msg');
    const m = msg && messages.get(msg);
    if (!m) return;
    track(send({ t: 'button', data: btn.dataset.data, message_id: m.id }), btn);
  });

  log.addEventListener('keydown', (e) => {
    const sp = e.target.closest && e.target.closest('.spoiler:not(.revealed)');
    if (sp && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); revealSpoiler(sp); }
  });

  // ---------------------------------------------------------------- composer

  function autosize() {
    input.style.height = 'auto';
    const border = input.offsetHeight - input.clientHeight;
    input.style.height = Math.min(input.scrollHeight + border, 160) + 'px';
  }

  function sendText() {
    const text = input.value.trim();
    if (!text) return;
    const ref = send({ t: 'text', text });
    if (!ref) return;
    track(ref, null);
    input.value = '';
    autosize();
    closeMenu(false);
  }

  $('composer').addEventListener('submit', (e) => { e.preventDefault(); sendText(); input.focus(); });
  // Tapping Send must not take focus from the textarea (that would close the on-screen keyboard).
  $('send').addEventListener('mousedown', (e) => e.preventDefault());

  input.addEventListener('keydown', (e) => {
    if (!menu.hidden && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      moveMenuFocus(e.key === 'ArrowDown' ? 'first' : 'last');
    } else if (!menu.hidden && e.key === 'Escape') {
      e.preventDefault();
      closeMenu(false);
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendText();
    }
  });

  input.addEventListener('input', () => { autosize(); slashMenu(); });

  input.addEventListener('paste', (e) => {
    const files = e.clipboardData && e.clipboardData.files;
    if (files && files.length) { e.preventDefault(); uploadAll(files); }
  });

  // ---------------------------------------------------------------- uploads

  let uploading = false;
  $('attach').addEventListener('click', () => { if (!uploading) fileInput.click(); });
  fileInput.addEventListener('change', () => { uploadAll(fileInput.files); });

  async function uploadAll(files) {
    const list = [...(files || [])];
    fileInput.value = '';
    for (const f of list) await upload(f); // one after another, in order
  }

  async function upload(file) {
    if (file.size > maxUpload) { toast(T['file-too-big'], 'error'); return; }
    if (!ws || ws.readyState !== WebSocket.OPEN) { toast(T.offline, 'error'); return; }
    uploading = true;
    uploadLine.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), `${T.uploading} ${file.name}`);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      const res = await fetch(new URL('upload', location.href), {
        method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' },
      });
      let data = null;
      try { data = await res.json(); } catch { /* not JSON */ }
      if (!res.ok || !data || !data.upload) {
        toast((data && typeof data.error === 'string' && data.error) || T['upload-failed'], 'error');
        return;
      }
      track(send({ t: 'file', upload: data.upload }), null);
    } catch {
      toast(T['upload-failed'], 'error');
    } finally {
      uploading = false;
      uploadLine.replaceChildren();
    }
  }

  // Drag and drop anywhere on the page, with a visible overlay.
  let dragDepth = 0;
  const hasFiles = (e) => Boolean(e.dataTransfer && [...e.dataTransfer.types].includes('Files'));
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    dropZone.hidden = false;
  });
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) dropZone.hidden = true;
  });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth = 0;
    dropZone.hidden = true;
    uploadAll(e.dataTransfer.files);
  });

  // ---------------------------------------------------------------- command menu

  function buildMenu(list) {
    commands = list.filter((c) => c && typeof c.command === 'string' && c.command);
    menu.replaceChildren(...commands.map((c) => h('button',
      { type: 'button', role: 'menuitem', class: 'menu-item', tabindex: '-1', 'data-command': c.command },
      h('span', { class: 'cmd' }, '/' + c.command),
      h('span', { class: 'desc' }, String(c.description || '')))));
    menuBtn.hidden = commands.length === 0;
    if (!commands.length) closeMenu(false);
  }

  const menuItems = () => [...menu.querySelectorAll('.menu-item:not([hidden])')];

  function openMenu(fromTyping, prefix) {
    menuFromTyping = fromTyping;
    for (const item of menu.querySelectorAll('.menu-item')) {
      item.hidden = fromTyping && !item.dataset.command.startsWith(prefix || '');
    }
    if (!menuItems().length) { closeMenu(false); return; }
    menu.hidden = false;
    menuBtn.setAttribute('aria-expanded', 'true');
    if (!fromTyping) moveMenuFocus('first');
  }

  function closeMenu(focusButton) {
    if (menu.hidden) return;
    menu.hidden = true;
    menuBtn.setAttribute('aria-expanded', 'false');
    if (focusButton) menuBtn.focus();
  }

  function moveMenuFocus(where) {
    const items = menuItems();
    if (!items.length) return;
    const i = items.indexOf(document.activeElement);
    let j;
    if (where === 'first') j = 0;
    else if (where === 'last') j = items.length - 1;
    else if (where === 'next') j = (i + 1) % items.length;
    else j = (i - 1 + items.length) % items.length;
    items[j].focus();
  }

  /** Typing "/" (then a prefix) into an otherwise empty box offers matching commands. */
  function slashMenu() {
    const m = /^\/([A-Za-z0-9_]*)$/.exec(input.value);
    if (m && commands.length) openMenu(true, m[1].toLowerCase());
    else if (menuFromTyping) closeMenu(false);
  }

  menuBtn.addEventListener('click', () => {
    if (menu.hidden) openMenu(false); else closeMenu(true);
  });

  menu.addEventListener('click', (e) => {
    const item = e.target.closest('.menu-item');
    if (!item) return;
    const ref = send({ t: 'text', text: '/' + item.dataset.command });
    if (ref) {
      track(ref, null);
      if (/^\/\w*$/.test(input.value)) { input.value = ''; autosize(); }
    }
    closeMenu(false);
    input.focus();
  });

  menu.addEventListener('keydown', (e) => {
    const keys = { ArrowDown: 'next', ArrowUp: 'prev', Home: 'first', End: 'last' };
    if (keys[e.key]) { e.preventDefault(); moveMenuFocus(keys[e.key]); }
    else if (e.key === 'Escape') {
      e.preventDefault();
      const back = menuFromTyping;
      closeMenu(!back);
      if (back) input.focus();
    } else if (e.key === 'Tab') closeMenu(false);
  });

  // Close the menu when clicking anywhere else.
  document.addEventListener('pointerdown', (e) => {
    if (!menu.hidden && !menu.contains(e.target) && !menuBtn.contains(e.target) && e.target !== input) closeMenu(false);
  });

  // ---------------------------------------------------------------- toasts and the alert dialog

  function toast(text, kind) {
    if (!text) return;
    const t = h('div', { class: 'toast' + (kind ? ' ' + kind : ''), role: 'status' }, text);
    t.addEventListener('click', () => t.remove());
    toasts.append(t);
    while (toasts.childElementCount > 3) toasts.firstElementChild.remove();
    setTimeout(() => t.remove(), Math.min(10000, 4000 + 40 * text.length));
  }

  let focusBeforeAlert = null;
  function showAlert(text) {
    $('alert-text').textContent = text;
    if (!alertDlg.open) {
      focusBeforeAlert = document.activeElement;
      alertDlg.showModal(); // modal: the rest of the page is inert, Esc closes it
    }
    $('alert-close').focus();
  }
  $('alert-close').addEventListener('click', () => alertDlg.close());
  alertDlg.addEventListener('close', () => {
    if (focusBeforeAlert && focusBeforeAlert.isConnected) focusBeforeAlert.focus({ preventScroll: true });
    else input.focus({ preventScroll: true });
    focusBeforeAlert = null;
  });

  // ---------------------------------------------------------------- embed mode (careers-site widget)

  function closeWidget() { window.parent.postMessage({ type: 'hrbot-close' }, '*'); }

  if (embedded) {
    document.body.classList.add('embedded');
    $('top').hidden = true;
    $('embed-bar').hidden = false;
    if (inFrame) {
      const close = $('close');
      close.hidden = false;
      close.addEventListener('click', closeWidget);
      // Esc inside the iframe closes the widget too (the host page cannot see these keys).
      document.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && !e.defaultPrevented && !alertDlg.open && menu.hidden) closeWidget();
      });
    }
  }

  connect();
})();
