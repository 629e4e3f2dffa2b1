// Text imports (`with { type: "text" }`) embed the recipes' shell and iPXE scripts into the compiled binary.
declare module "*.sh" {
  const text: string;
  export default text;
}
declare module "*.ipxe" {
  const text: string;
  export default text;
}
declare module "*.c" {
  const text: string;
  export default text;
}
