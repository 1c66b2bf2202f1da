def test_home_in_spanish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="es"' in response.get_data(as_text=True)
