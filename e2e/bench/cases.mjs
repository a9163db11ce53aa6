// The four frame-time cases of the benchmark, shared by browser.mjs (which measures them)
// and trace.mjs (which shows where a frame's time goes), so that both play the same thing.

export async function setControl(page, name, value) {
  const sel = `[data-testid=control-${name}]`;
  if ((await page.$eval(sel, (e) => e.tagName)) === "SELECT") await page.selectOption(sel, value);
  else {
    await page.fill(sel, value);
    await page.press(sel, "Enter");
  }
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
}

export async function maxSpeed(page) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  for (let i = 0; i < 20; i++) await page.keyboard.press("]");
}

// Plays; when the run reaches its end (playback stops), plays it again from the start.
export async function playLooping(page) {
  await page.evaluate(() => {
    const play = () => document.querySelector("[data-testid=play]");
    play().click();
    window.__replay = setInterval(() => {
      if (play().getAttribute("aria-pressed") === "false") play().click();
    }, 20);
  });
}

// id (trace.mjs --case), label (the benchmark's figure), and how to set the page up:
// `hash` to open, `check` that the mode exists (`missing` says why not), `prepare`.
export const FRAME_CASES = [
  { id: "default", label: "default scenario, ×1" },
  { id: "max", label: "default scenario, max speed", prepare: maxSpeed },
  {
    id: "4096",
    label: "4096-slot ring, max speed",
    prepare: async (page) => {
      await setControl(page, "model", "io_uring");
      await setControl(page, "ring-entries", "4096");
      const entries = await page.getAttribute("[data-testid=ring]", "data-entries");
      if (entries !== "4096") throw new Error(`the ring has ${entries} slots, not 4096`);
      await maxSpeed(page);
    },
  },
  {
    id: "compare",
    label: "compare mode, 4 models, max speed",
    hash: "#v=1&compare=proposal,io_uring,aio,io_uring-5.1",
    // Four rings on the page once compare mode exists.
    check: (page) => page.evaluate(() => document.querySelectorAll("[data-testid=ring]").length >= 4),
    missing: "compare mode does not exist in the app yet (no four rings for #v=1&compare=...)",
    prepare: maxSpeed,
  },
];
