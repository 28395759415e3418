import { AllCommunityModule, ModuleRegistry, themeQuartz } from "ag-grid-community";

// Community modules only (never ag-grid-enterprise); registered once for the whole app.
ModuleRegistry.registerModules([AllCommunityModule]);

export const gridTheme = themeQuartz.withParams({
  accentColor: "#0b6bcb",
  headerBackgroundColor: "#f3f6fa",
  headerFontWeight: 600,
  fontFamily: "inherit",
  fontSize: 13,
  rowHeight: 34,
  headerHeight: 38,
  borderColor: "#dde3ea",
  oddRowBackgroundColor: "#fbfcfe",
  wrapperBorderRadius: 8,
});
