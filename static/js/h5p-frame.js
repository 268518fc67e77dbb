/* Runs inside the sandboxed H5P frame (templates/courses/h5p_player.html).
   This document has an opaque origin: it cannot read the lesson page or the site's cookies.
   It talks to the lesson page only with postMessage, addressed to the site's origin:
   - "ready"      → the lesson page answers with "start" and the learner's resume state;
   - "statement"  → an xAPI statement (answered, completed, passed, failed, scored);
   - "state"      → the activity's current state (JSON text), to resume it later;
   - "height"     → the height of this document, so the frame fits without scrolling. */
(function () {
  "use strict";
  var CHANNEL = "digibank-h5p";
  var VERBS = { answered: true, completed: true, passed: true, failed: true, scored: true };
  var holder = document.getElementById("h5p-speler");
  var parentOrigin = holder.getAttribute("data-parent-origin");
  var contentId = holder.getAttribute("data-content-id");
  var started = false;
  var lastState = null;
  var lastHeight = 0;

  // Storage is forbidden in an opaque origin, and H5P core touches localStorage without a
  // guard. A memory-only stand-in: nothing an activity writes stays on the device.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; },
      key: function (index) { return Object.keys(items)[index] || null; },
      get length() { return Object.keys(items).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      if (window[name]) { return; }
    } catch (error) {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  });

  // Every file in this frame is cross-origin (its origin is opaque). Images that content
  // types draw on a canvas (Agamotto) must be loaded with CORS, or the canvas is "tainted"
  // and reading it back fails. H5P asks H5PIntegration.crossorigin for that; h5p-standalone
  // builds H5PIntegration without it, so it is added whenever the player sets it.
  var integration;
  var contentPrefix = holder.getAttribute("data-content-url");
  Object.defineProperty(window, "H5PIntegration", {
    configurable: true,
    get: function () { return integration; },
    set: function (value) {
      if (value && typeof value === "object") {
        value.crossorigin = "anonymous";
        value.crossoriginRegex = "^" + contentPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      integration = value;
    }
  });

  function send(message) {
    message.channel = CHANNEL;
    window.parent.postMessage(message, parentOrigin);
  }

  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function instance() {
    return window.H5P && window.H5P.instances && window.H5P.instances[0];
  }

  function sendState() {
    var current = instance();
    if (!current || typeof current.getCurrentState !== "function") { return; }
    var state;
    try { state = JSON.stringify(current.getCurrentState()); } catch (error) { return; }
    if (typeof state !== "string" || state === lastState) { return; }
    lastState = state;
    send({ kind: "state", state: state });
  }

  function sendHeight() {
    var zoom = parseFloat(document.body.style.zoom) || 1;
    var height = Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.getBoundingClientRect().height * zoom));
    if (Math.abs(height - lastHeight) < 2) { return; }
    lastHeight = height;
    send({ kind: "height", height: height });
  }

  function onStatement(event) {
    var statement = event && event.data && event.data.statement;
    var verb = statement && statement.verb && typeof statement.verb.id === "string" ? statement.verb.id.split("/").pop() : "";
    if (!VERBS[verb]) { return; }
    // H5P gives statements no id; the lesson page and the server use it to count each once.
    var copy = JSON.parse(JSON.stringify(statement));
    copy.id = uuid();
    delete copy.actor; // the server sets the (pseudonymous) actor itself
    send({ kind: "statement", statement: copy });
    sendState();
  }

  // Never cut off: a content type with a fixed layout of its own (Dialog Cards' card) can
  // end past the frame's edge at the learner's text size. Then the zoom goes down a step at
  // a time (never below 1) until nothing visible ends past the edge.
  function clipped() {
    var width = document.documentElement.clientWidth;
    var all = document.querySelectorAll(".h5p-content *");
    for (var i = 0; i < all.length; i++) {
      var element = all[i];
      if (element.children.length && !/^(IMG|CANVAS|AUDIO|VIDEO)$/.test(element.tagName)) { continue; }
      var box = element.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 1 || box.left < -1) &&
          window.getComputedStyle(element).visibility !== "hidden") { return true; }
    }
    return false;
  }

  function fitZoom() {
    var zoom = parseFloat(document.body.style.zoom) || 1;
    if (zoom <= 1 || !clipped()) { return; }
    document.body.style.zoom = String(Math.max(1, Math.round((zoom - 0.1) * 100) / 100));
    var current = instance();
    if (current && typeof current.trigger === "function") { current.trigger("resize"); }
    window.setTimeout(fitZoom, 250);  // after H5P has laid itself out again
  }

  function start(state, scale) {
    if (started) { return; }
    started = true;
    // The learner's text size: zoom, so the content lays out narrower and grows taller
    // (never cut off); the height message below makes the frame follow.
    if (typeof scale === "number" && scale > 1 && scale <= 2) {
      document.body.style.zoom = String(scale);
    }
    var options = {
      id: contentId,
      h5pJsonPath: holder.getAttribute("data-content-url"),
      frameJs: holder.getAttribute("data-frame-js"),
      frameCss: holder.getAttribute("data-frame-css"),
      embedType: "div",
      frame: false, copyright: false, export: false, embed: false, icon: false, fullScreen: false,
      // A number is needed for H5P to pass the resume state on; there is no user and no
      // ajax URL, so H5P itself never sends anything anywhere.
      saveFreq: 3600
    };
    if (typeof state === "string" && state) {
      options.contentUserData = [{ state: state }];
      lastState = state;
    }
    new window.H5PStandalone.H5P(holder, options).then(function () {
      window.H5P.externalDispatcher.on("xAPI", onStatement);
      fitZoom();
      sendHeight();
      send({ kind: "loaded" });
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) { return; }
    var data = event.data;
    if (!data || data.channel !== CHANNEL || data.kind !== "start") { return; }
    start(typeof data.state === "string" ? data.state : null, data.scale);
  });

  if (window.ResizeObserver) {
    new window.ResizeObserver(sendHeight).observe(document.body);
  }
  window.setInterval(function () { fitZoom(); sendHeight(); sendState(); }, 2000);
  document.addEventListener("change", function () { window.setTimeout(sendState, 0); });
  window.addEventListener("pagehide", sendState);
  send({ kind: "ready" });
})();
