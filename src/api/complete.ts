/** Shell completion: the server knows node, image, checkpoint and setting names. */
import { z } from "zod";
import { call } from "./endpoint.ts";

export const completionWords = call(
  "complete.words",
  z.object({ kind: z.enum(["nodes", "devices", "images", "checkpoints", "settings"]), set: z.string().optional() }).strict(),
  z.object({ words: z.array(z.string()) }),
);
