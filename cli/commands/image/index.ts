/**
 * `walt image …` (WALT §1.5). The image store's CLI side comes in later issues: every sub-command is
 * declared with WALT's exact help (name, ordering, description, arguments, switches, custom usages) so
 * `--help`, the category list and completion are complete; running one says it is not available yet.
 */
import type { CategoryDef } from "../../framework/types.ts";
import { notYet } from "../not-yet.ts";

const IMAGE = [{ name: "image_name" }];
const IMAGE_AND_NEW = [{ name: "image_name" }, { name: "new_image_name" }];

export const imageCategory: CategoryDef = {
  name: "image",
  ordering: 1,
  description: "management of WalT-nodes operating system images",
  commands: [
    notYet(
      {
        name: "show",
        ordering: 1,
        description: "display your working set of walt images",
        switches: [
          { names: ["--all"], help: "show all OS images on the platform" },
          { names: ["--refresh"], help: "resync image list from podman storage" },
          { names: ["--names-only"], help: "list image names only" },
        ],
      },
      "image listing (walt image show)",
    ),
    notYet(
      { name: "search", ordering: 2, description: "search for remote WalT node OS images", args: [{ name: "keyword", optional: true, defaultText: "None" }] },
      "image search (walt image search)",
    ),
    notYet(
      {
        name: "clone",
        ordering: 3,
        description: "clone a remote image into your working set",
        args: [{ name: "clonable_image_link" }, { name: "image_name", optional: true, defaultText: "None" }],
        switches: [{ names: ["--force"], help: "do it, even if it overwrites an existing image." }],
      },
      "image cloning (walt image clone)",
    ),
    notYet({ name: "shell", ordering: 4, description: "modify an image through an interactive shell", args: IMAGE }, "image shells (walt image shell)"),
    notYet(
      {
        name: "build",
        ordering: 5,
        description: "build a WalT image using a Dockerfile",
        args: [{ name: "image_name" }],
        usage:
          "walt image build --from-url <git-repo-url> [--sub-dir <path>] <image-name>\n" +
          "walt image build --from-dir <local-directory> <image-name>\n" +
          "\n" +
          "See 'walt help show image-build' for more info.",
        switches: [
          { names: ["--from-url"], metavar: "GIT_URL:str", help: "Git repository URL containing a Dockerfile" },
          { names: ["--sub-dir"], metavar: "PATH:str", help: "Sub-directory of git repo to use for the build" },
          { names: ["--from-dir"], metavar: "DIRECTORY:str", help: "Local directory containing a Dockerfile" },
        ],
      },
      "image builds (walt image build)",
    ),
    notYet(
      {
        name: "cp",
        ordering: 6,
        description: "transfer files (client machine <-> image)",
        args: [{ name: "src" }, { name: "dst" }],
        usage: "walt image cp <local-path> <image>:<path>\nwalt image cp <image>:<path> <local-path>",
      },
      "file transfers with images (walt image cp)",
    ),
    notYet({ name: "duplicate", ordering: 7, description: "duplicate an image of your working set", args: IMAGE_AND_NEW }, "image duplication (walt image duplicate)"),
    notYet({ name: "remove", ordering: 8, description: "remove an image from your working set", args: IMAGE }, "image removal (walt image remove)"),
    notYet({ name: "rename", ordering: 9, description: "rename an image of your working set", args: IMAGE_AND_NEW }, "image renaming (walt image rename)"),
    notYet(
      {
        name: "publish",
        ordering: 10,
        description: "publish a WalT image on the hub (or other registry)",
        args: IMAGE,
        switches: [{ names: ["--registry"], metavar: "REGISTRY:str", help: "select which image registry to publish to; the default is auto" }],
      },
      "image publishing (walt image publish)",
    ),
    notYet({ name: "squash", ordering: 11, description: "squash all layers of an image into one", args: IMAGE }, "image squashing (walt image squash)"),
  ],
};
