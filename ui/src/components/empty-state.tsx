/** What an empty list says: nothing matches the filters, or there is nothing yet and how to get demo data. */
export function EmptyState({ noun, filtered }: { noun: string; filtered: boolean }) {
  if (filtered) return <p className="empty">No {noun} match these filters.</p>;
  return (
    <div className="empty">
      <p>No {noun} yet.</p>
      <p>
        Agents create them through the GraphQL API at <code>/graphql</code>. To look around with demo data, run{" "}
        <code>npm run seed</code> against this database and reload.
      </p>
    </div>
  );
}
