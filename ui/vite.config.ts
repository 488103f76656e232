// Builds the dashboard into dist/ui, which the server serves at /ui/ (src/server/dashboard-route.ts).
// `npm run dev:ui` serves it from source with hot reload and sends /graphql to `npm run dev`.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/ui/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: true,
    // The Content-Security-Policy allows no data: scripts or styles, so nothing is inlined.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:4000", ws: true } },
  },
});
