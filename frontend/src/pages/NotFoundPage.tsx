import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There's nothing here. <Link to="/">Browse events</Link>
      </p>
    </section>
  );
}
