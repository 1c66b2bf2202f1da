def test_home_in_spanish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="es"' in response.get_data(as_text=True)


def test_home_lists_published_claims_only(client, session):
    from tests.builders import make_claim

    make_claim(session, status="active", publication="published", given_names="Publicada Inventada")
    make_claim(session, given_names="Borrador Inventado")
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Publicada Inventada" in page and "Borrador Inventado" not in page
