// The request side of both bench workers (worker.js, parts-worker.js):
// GET /list names the benches, GET /run?name=<bench>&n=<count> runs one
// bench `count` times; the driver times the requests from outside (workerd's
// clock does not advance during CPU work).

/** The response to `request` for the benches in `benches` (a Map of name -> async fn). */
export async function serveBenches(request, benches) {
  const url = new URL(request.url);
  if (url.pathname === '/list') return Response.json([...benches.keys()]);
  const fn = benches.get(url.searchParams.get('name'));
  if (!fn) return new Response('no such bench', { status: 404 });
  const n = Number(url.searchParams.get('n') ?? 1);
  for (let i = 0; i < n; i += 1) await fn();
  return new Response('ok');
}
