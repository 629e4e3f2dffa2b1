// Text imports (`with { type: "text" }`) embed SQL and markdown into the compiled binary.
declare module "*.sql" {
  const text: string;
  export default text;
}
declare module "*.md" {
  const text: string;
  export default text;
}
