// The Article 5 maps: the members' map of hazard areas and the public map of the remaining area
// per region. Everything comes from the page: the map element's data- attributes and a JSON
// configuration block (no inline script or style: the Content-Security-Policy forbids them).
// The pages work without this file: their figures are in tables below the map.
(() => {
  "use strict";
  const element = document.getElementById("article5-map");
  if (!element || typeof L === "undefined") return;

  const config = JSON.parse(document.getElementById(element.dataset.config).textContent);
  const labels = config.labels;
  const statusLine = document.getElementById("article5-map-status");
  const direction = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
  // Leaflet places controls by physical corner: the start side is on the right in Arabic.
  const start = direction === "rtl" ? "right" : "left";
  const end = direction === "rtl" ? "left" : "right";
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (_match, name) => String(values[name]));
  const squareMetres = (value) => fill(labels.square_metres, { area: numbers.format(value) });
  const say = (text) => {
    if (statusLine) statusLine.textContent = text;
  };

  // Half zoom steps let a whole country fill the map when it is fitted.
  const map = L.map(element, { zoomControl: false, attributionControl: false, zoomSnap: 0.5 });
  L.control
    .zoom({ position: `top${start}`, zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out })
    .addTo(map);
  L.control.attribution({ position: `bottom${end}`, prefix: false }).addTo(map);
  L.control.scale({ position: `bottom${start}` }).addTo(map);
  if (config.tiles) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  }
  // Boundaries under the hazard areas (Leaflet's overlay pane is at 400).
  map.createPane("boundaries").style.zIndex = "350";
  map.setView([0, 0], 2);

  // From this zoom on, a view covers a few kilometres: only its hazard areas are asked for.
  const CLOSE_ZOOM = 12;
  // Geometry is simplified for the zoom; it is asked again only when the zoom changes enough.
  const zoomStep = (zoom) => (zoom < 8 ? 7 : zoom < 11 ? 10 : zoom < 14 ? 13 : 16);

  let fitted = false;
  const fitTo = (layer) => {
    const bounds = layer.getBounds();
    if (!fitted && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
      fitted = true;
    }
  };

  const requests = {};
  async function fetchGeoJSON(name, url) {
    if (requests[name]) requests[name].abort();
    const controller = new AbortController();
    requests[name] = controller;
    element.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: "application/geo+json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        const error = new Error(`${response.status}`);
        error.status = response.status;
        throw error;
      }
      return await response.json();
    } finally {
      if (requests[name] === controller) {
        delete requests[name];
        element.removeAttribute("aria-busy");
      }
    }
  }

  const handleFailure = (error) => {
    if (error.name === "AbortError") return;
    say(error.status === 400 ? labels.invalid : labels.failed);
  };

  function popup(heading, rows, link) {
    const box = document.createElement("div");
    box.className = "map-popup";
    box.dir = direction;
    const title = document.createElement("h3");
    title.textContent = heading;
    box.append(title);
    const list = document.createElement("dl");
    for (const [term, value] of rows) {
      if (value === "" || value === null || value === undefined) continue;
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    }
    box.append(list);
    if (link) {
      const paragraph = document.createElement("p");
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = labels.open;
      paragraph.append(anchor);
      box.append(paragraph);
    }
    return box;
  }

  // The public map: a choropleth of the remaining area per region ----------------------------

  async function showPublic() {
    say(labels.loading);
    try {
      const url = new URL(element.dataset.boundariesUrl, window.location.href);
      const data = await fetchGeoJSON("regions", url);
      const layer = L.geoJSON(data, {
        pane: "boundaries",
        style: (feature) => ({ className: `choropleth choropleth-${feature.properties.class}` }),
        onEachFeature: (feature, shape) => {
          const region = feature.properties;
          shape.bindPopup(() =>
            popup(region.name, [
              [labels.remaining, squareMetres(region.remaining_m2)],
              [labels.sha, squareMetres(region.sha_m2)],
              [labels.cha, squareMetres(region.cha_m2)],
            ]),
          );
        },
      }).addTo(map);
      fitTo(layer);
      say("");
    } catch (error) {
      handleFailure(error);
    }
  }

  // The members' map: boundaries and hazard areas, reloaded with the filters ----------------

  const form = document.getElementById(element.dataset.filters || "");
  const filterValues = () => {
    const values = new URLSearchParams();
    if (!form) return values;
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value !== "") values.set(name, value);
    }
    return values;
  };

  let boundaryLayer = null;
  let boundaryKey = "";
  async function loadBoundaries() {
    const level = filterValues().get("level") || "1";
    const step = zoomStep(map.getZoom());
    const key = `${level}/${step}`;
    if (key === boundaryKey) return;
    boundaryKey = key;
    const url = new URL(element.dataset.boundariesUrl, window.location.href);
    url.searchParams.set("level", level);
    url.searchParams.set("zoom", String(step));
    try {
      const data = await fetchGeoJSON("boundaries", url);
      const className = config.tiles ? "boundary" : "boundary boundary-base";
      const layer = L.geoJSON(data, { pane: "boundaries", interactive: false, style: { className } });
      if (boundaryLayer) map.removeLayer(boundaryLayer);
      boundaryLayer = layer.addTo(map);
      fitTo(layer);
    } catch (error) {
      boundaryKey = "";
      handleFailure(error);
    }
  }

  const hazardStyle = (properties) =>
    `hazard hazard-${String(properties.type).toLowerCase()} hazard-${properties.status}`;

  function hazardPopup(properties) {
    const heading = properties.name
      ? `${properties.external_id} · ${properties.name}`
      : properties.external_id;
    return popup(
      heading,
      [
        [labels.type, config.types[properties.type] || properties.type],
        [labels.status, config.statuses[properties.status] || properties.status],
        [labels.area, squareMetres(properties.area_m2)],
        [labels.remaining, squareMetres(properties.remaining_m2)],
        [labels.admin_area, properties.admin_area],
      ],
      properties.url,
    );
  }

  let hazardLayer = null;
  // Past the feature limit, or close in, the map asks only for the visible box at every move.
  let capped = false;
  const byBox = () => capped || map.getZoom() >= CLOSE_ZOOM;
  async function loadHazards() {
    const query = filterValues();
    query.delete("level");
    query.set("zoom", String(zoomStep(map.getZoom())));
    if (byBox() && fitted) query.set("bbox", map.getBounds().pad(0.2).toBBoxString());
    const url = new URL(element.dataset.hazardsUrl, window.location.href);
    url.search = query.toString();
    say(labels.loading);
    try {
      const data = await fetchGeoJSON("hazards", url);
      const layer = L.geoJSON(data, {
        style: (feature) => ({ className: hazardStyle(feature.properties) }),
        pointToLayer: (feature, latlng) =>
          L.circleMarker(latlng, { radius: 7, className: hazardStyle(feature.properties) }),
        onEachFeature: (feature, shape) => shape.bindPopup(() => hazardPopup(feature.properties)),
      });
      if (hazardLayer) map.removeLayer(hazardLayer);
      hazardLayer = layer.addTo(map);
      fitTo(layer);
      if (data.capped) {
        capped = true;
        const shown = numbers.format(data.features.length);
        say(fill(labels.capped, { count: shown, total: numbers.format(data.total) }));
      } else {
        say(fill(labels.shown, { count: numbers.format(data.features.length) }));
      }
    } catch (error) {
      handleFailure(error);
    }
  }

  function showHazards() {
    loadBoundaries().then(loadHazards);
    let lastStep = zoomStep(map.getZoom());
    map.on("moveend", () => {
      const step = zoomStep(map.getZoom());
      if (step !== lastStep) {
        lastStep = step;
        loadBoundaries();
        loadHazards();
      } else if (byBox()) {
        loadHazards();
      }
    });
    if (form) {
      let timer = null;
      const reload = () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          capped = false;
          loadBoundaries();
          loadHazards();
        }, 300);
      };
      form.addEventListener("change", reload);
      form.addEventListener("submit", reload);
    }
  }

  if (config.mode === "public") {
    showPublic();
  } else {
    showHazards();
  }
})();
