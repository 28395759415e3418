import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/auth": "http://127.0.0.1:3000",
      "/v1": "http://127.0.0.1:3000",
      "/health": "http://127.0.0.1:3000",
    },
  },
  // VITE_NO_MINIFY=1: readable function names in a CPU profile (tests/bench/grid.bench.ts, GRID_BENCH_PROFILE)
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    ...(process.env.VITE_NO_MINIFY === "1" ? { minify: false } : {}),
  },
});
