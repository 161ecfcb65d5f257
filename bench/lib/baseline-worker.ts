/** The edge benchmark's baseline: reads one R2 object and returns it, nothing more. */
interface BaselineEnv {
  CACHE: R2Bucket;
  OBJECT_NAME: string;
}

export default {
  async fetch(_request, env) {
    const object = await env.CACHE.get(env.OBJECT_NAME);
    if (!object) return new Response("missing", { status: 404 });
    const contentType = object.httpMetadata?.contentType ?? "application/octet-stream";
    return new Response(object.body, {
      headers: { "content-type": contentType, etag: object.httpEtag },
    });
  },
} satisfies ExportedHandler<BaselineEnv>;
