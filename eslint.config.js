// Type-aware lint: the checks tsc does not do. Floating promises are lost errors in a daemon.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "eslint.config.js"] },
  {
    files: ["**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // cli, server and agent import src, never each other.
    files: ["cli/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/server/**", "**/agent/**"] }] },
  },
  {
    files: ["server/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/cli/**", "**/agent/**"] }] },
  },
  {
    files: ["agent/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/cli/**", "**/server/**"] }] },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/main.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/cli/**", "**/server/**", "**/agent/**"] }] },
  },
);
