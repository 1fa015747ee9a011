/*
 * hr-bot careers-site widget. Put ONE tag on any page of the company site:
 *
 *   <script src="https://bot.example.com/widget.js" data-start="v12-site" async></script>
 *
 * It adds a round chat button (bottom right) that opens the web chat in an iframe.
 * data-start     optional deep-link payload ([A-Za-z0-9_-]{1,64}), e.g. a vacancy + placement
 * data-label     optional accessible name of the button (default: Russian or English by <html lang>)
 * data-title     optional title of the chat iframe
 * No dependencies; all styles are namespaced `hrbot-`.
 */
(function () {
  'use strict';
  if (window.__hrbotWidget) return; // loaded twice: keep the first
  window.__hrbotWidget = true;

  var script = document.currentScript;
  if (!script) {
    var all = document.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget\.js(?:[?#].*)?$/.test(all[i].src)) { script = all[i]; break; }
    }
  }
  if (!script || !script.src) return;

  var src = new URL(script.src, location.href);
  var origin = src.origin;
  var base = origin + src.pathname.replace(/\/widget\.js$/, ''); // keeps a path prefix, if any
  var start = script.getAttribute('data-start') || '';
  var chatUrl = base + '/?embed=1' + (/^[A-Za-z0-9_-]{1,64}$/.test(start) ? '&start=' + encodeURIComponent(start) : '');

  var ru = /^ru\b/i.test(document.documentElement.lang || navigator.language || '');
  var label = script.getAttribute('data-label') || (ru ? 'Чат с HR: вакансии и отклики' : 'Chat with HR: jobs and applications');
  var title = script.getAttribute('data-title') || (ru ? 'Чат с HR' : 'Chat with HR');

  var CSS = [
    '.hrbot-bubble{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;',
    'margin:0;padding:0;border:0;border-radius:50%;background:#1f5fbf;color:#fff;cursor:pointer;',
    'display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(16,24,40,.3);',
    'transition:transform .15s ease}',
    '.hrbot-bubble:hover{transform:scale(1.06)}',
    '.hrbot-bubble:focus-visible{outline:3px solid #0b57d0;outline-offset:3px;box-shadow:0 0 0 6px #fff}',
    '.hrbot-bubble svg{width:28px;height:28px;display:block}',
    '.hrbot-bubble .hrbot-close{display:none}',
    '.hrbot-bubble[aria-expanded="true"] .hrbot-chat{display:none}',
    '.hrbot-bubble[aria-expanded="true"] .hrbot-close{display:block}',
    '.hrbot-frame{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:380px;height:600px;',
    'max-width:calc(100vw - 40px);max-height:calc(100vh - 112px);border:0;border-radius:16px;',
    'background:#fff;box-shadow:0 12px 40px rgba(16,24,40,.3);color-scheme:normal}',
    '.hrbot-frame[hidden]{display:none}',
    '@media (max-width:479.98px){',
    '.hrbot-frame{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}',
    '.hrbot-open .hrbot-bubble{display:none}',
    'html.hrbot-open,html.hrbot-open body{overflow:hidden}}',
    '@media (prefers-reduced-motion:reduce){.hrbot-bubble{transition:none}.hrbot-bubble:hover{transform:none}}',
  ].join('');

  var CHAT = 'M5 3h14a3 3 0 0 1 3 3v9a3 3 0 0 1-3 3h-7l-5 4v-4H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3Z';
  var CROSS = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4Z';

  function icon(cls, d) { // built with DOM calls: works on hosts that enforce Trusted Types
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', cls);
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', d);
    svg.appendChild(path);
    return svg;
  }

  var bubble, frame;

  function open() {
    if (!frame) { // created on first use, then kept so the conversation survives close/open
      frame = document.createElement('iframe');
      frame.className = 'hrbot-frame';
      frame.id = 'hrbot-frame';
      frame.title = title;
      frame.setAttribute('allow', 'clipboard-write');
      frame.src = chatUrl;
      document.body.appendChild(frame);
      bubble.setAttribute('aria-controls', frame.id);
    }
    frame.hidden = false;
    bubble.setAttribute('aria-expanded', 'true');
    document.documentElement.classList.add('hrbot-open');
    frame.focus();
  }

  function close() {
    if (!frame || frame.hidden) return;
    var hadFocus = document.activeElement === frame;
    frame.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    document.documentElement.classList.remove('hrbot-open');
    if (hadFocus || document.activeElement === document.body) bubble.focus();
  }

  function init() {
    var style = document.createElement('style');
    style.textContent = CSS;
    document.head.appendChild(style);

    bubble = document.createElement('button');
    bubble.type = 'button';
    bubble.className = 'hrbot-bubble';
    bubble.setAttribute('aria-label', label);
    bubble.setAttribute('aria-expanded', 'false');
    bubble.appendChild(icon('hrbot-chat', CHAT));
    bubble.appendChild(icon('hrbot-close', CROSS));
    bubble.addEventListener('click', function () {
      if (frame && !frame.hidden) close(); else open();
    });
    document.body.appendChild(bubble);

    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && frame && !frame.hidden) close();
    });
    window.addEventListener('message', function (e) {
      if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
      if (e.data && e.data.type === 'hrbot-close') close();
    });
  }

  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
})();
