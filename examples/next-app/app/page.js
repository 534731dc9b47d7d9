export default function Home() {
  return (
    <main>
      <h1>Next.js over Momento</h1>
      <ul>
        <li>
          <a href="/isr/a">ISR page</a> (tag <code>isr</code>)
        </li>
        <li>
          <a href="/api/data">fetch cache</a> (tag <code>origin</code>)
        </li>
        <li>
          <a href="/api/uc">'use cache' data</a> (tag <code>uc</code>)
        </li>
        <li>
          <a href="/bytes">cached route handler</a>
        </li>
      </ul>
    </main>
  );
}
