// SmartSeal portal: small vanilla helpers shared by every page.
(function () {
  'use strict';
  // Report the browser's time zone so the server shows times in it (PortalClock).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('smartseal-tz=' + encodeURIComponent(zone)) < 0) {
      document.cookie = 'smartseal-tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* keep the server default */ }

  // Buttons that ask first: data-confirm-dialog="id" opens that <dialog>.
  document.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-confirm-dialog]');
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute('data-confirm-dialog'));
      if (dialog && dialog.showModal) {
        event.preventDefault();
        dialog.showModal();
        var first = dialog.querySelector('input, textarea, select, button');
        if (first) { first.focus(); }
      }
    }
    var closer = event.target.closest('[data-close-dialog]');
    if (closer) {
      event.preventDefault();
      closer.closest('dialog').close();
    }
  });

  // The live event stream: keepers get their units' devices and seals on it, everyone their own
  // notifications. One unfiltered stream per page, shared by the page's handlers and the notices
  // below; a page that watches one device gets its own filtered stream.
  var shared = null;
  function open(device) {
    var source = new EventSource('/portal/events' + (device ? '?device=' + encodeURIComponent(device) : ''));
    // Says on the page whether live updates flow (for people: the styles; for tests: a wait condition).
    source.addEventListener('open', function () { document.documentElement.setAttribute('data-live', 'open'); });
    source.addEventListener('error', function () { document.documentElement.setAttribute('data-live', 'reconnecting'); });
    return source;
  }

  window.smartSealLive = function (handlers, device) {
    if (!window.EventSource) { return null; }
    var source = device ? open(device) : (shared = shared || open(null));
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (e) {
        var data = null;
        try { data = e.data ? JSON.parse(e.data) : null; } catch (err) { data = null; }
        handlers[name](data, e);
      });
    });
    return source;
  };

  // "yyyy-MM-dd HH:mm" in the browser's zone (the zone the server formats in, see above).
  window.smartSealTime = function (ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
  };

  // Notices for the signed-in user (the layout's live-notices region): being urged (督促) to decide.
  function notify(urge) {
    var region = document.querySelector('.live-notices');
    if (!region || !urge) { return; }
    var notice = document.createElement('div');
    notice.className = 'notice';
    notice.setAttribute('role', 'status');
    notice.setAttribute('data-testid', 'urge-notice');
    var text = document.createElement('span');
    text.textContent = region.getAttribute('data-urged-text').replace('{0}', urge.urgedBy).replace('{1}', urge.applicationId);
    var link = document.createElement('a');
    link.href = '/Applications/Detail/' + encodeURIComponent(urge.applicationId);
    link.textContent = region.getAttribute('data-open-text');
    var dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'link-button';
    dismiss.setAttribute('aria-label', region.getAttribute('data-dismiss-text'));
    dismiss.textContent = '×';
    dismiss.addEventListener('click', function () { notice.remove(); });
    notice.append(text, ' ', link, ' ', dismiss);
    region.appendChild(notice);
  }

  // A notice (Notifications): the title in the page's language, a link to what it is about, and the
  // menu badge counting one more unread.
  function announce(notice) {
    var region = document.querySelector('.live-notices');
    if (!region || !notice) { return; }
    var lang = document.documentElement.lang === 'en' ? 'en' : 'zh-CN';
    var item = document.createElement('div');
    item.className = 'notice';
    item.setAttribute('role', 'status');
    item.setAttribute('data-testid', 'live-notice');
    var text = document.createElement('span');
    text.textContent = (notice.titles && notice.titles[lang]) || notice.title;
    item.append(text);
    if (notice.link) {
      var link = document.createElement('a');
      link.href = notice.link;
      link.textContent = region.getAttribute('data-open-text');
      item.append(' ', link);
    }
    var dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'link-button';
    dismiss.setAttribute('aria-label', region.getAttribute('data-dismiss-text'));
    dismiss.textContent = '×';
    dismiss.addEventListener('click', function () { item.remove(); });
    item.append(' ', dismiss);
    region.appendChild(item);
    var badge = document.querySelector('[data-testid="notice-count"]');
    if (badge) {
      var count = (parseInt(badge.getAttribute('data-count'), 10) || 0) + 1;
      badge.setAttribute('data-count', String(count));
      badge.firstChild.nodeValue = String(count);
      badge.hidden = false;
    }
  }

  // After the page's own scripts, so they share the stream this opens.
  document.addEventListener('DOMContentLoaded', function () {
    if (document.querySelector('.live-notices')) {
      window.smartSealLive({ urge: notify, notice: announce });
    }
  });
})();
